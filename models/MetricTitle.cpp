#include "MetricTitle.h"

#include <QHash>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

constexpr QStringView kOfficialSensitivePrefix = u"OFF-SENS_";

// Words the names abbreviate or spell in lower case, as the dashboard writes them.
const QHash<QString, QString> &spelledWords()
{
    static const QHash<QString, QString> words{
        {u"avg"_s, u"average"_s},    {u"7day"_s, u"7-day"_s}, {u"7days"_s, u"7-day"_s},
        {u"icuhdu"_s, u"ICU/HDU"_s}, {u"icu"_s, u"ICU"_s},    {u"pcr"_s, u"PCR"_s},
        {u"mv"_s, u"MV"_s},          {u"ons"_s, u"ONS"_s},    {u"rsv"_s, u"RSV"_s},
        {u"covid"_s, u"COVID-19"_s}, {u"hmpv"_s, u"hMPV"_s},  {u"ukhsa"_s, u"UKHSA"_s}};
    return words;
}

bool isAbbreviation(QStringView capitals)
{
    return spelledWords().contains(capitals.toString().toLower());
}

// "ICUHDUadmissionRateByWeek" -> ICUHDU, admission, Rate, By, Week. Words start at a capital
// after a small letter and at a digit after a letter ("autumn22"); a number and its unit stay
// one word ("7DayAdmissions" -> 7Day, Admissions, for "7-day"). A run of capitals followed by
// small letters is an abbreviation and a word ("PCRcount") when it is a known one, else its
// last capital starts the next word ("ONSByWeek" -> ONS, By, Week).
QStringList splitIdentifier(QStringView token)
{
    QStringList words;
    qsizetype start = 0;
    for (qsizetype i = 1; i < token.size(); ++i) {
        const QChar c = token[i];
        const QChar previous = token[i - 1];
        qsizetype boundary = -1;
        if ((c.isUpper() && previous.isLower()) || (c.isDigit() && previous.isLetter())) {
            boundary = i;
        } else if (c.isLower() && previous.isUpper() && i - start >= 2 && token[i - 2].isUpper()) {
            qsizetype runStart = i - 1;
            while (runStart > start && token[runStart - 1].isUpper())
                --runStart;
            boundary = isAbbreviation(token.sliced(runStart, i - runStart)) ? i : i - 1;
        }
        if (boundary > start) {
            words << token.sliced(start, boundary - start).toString();
            start = boundary;
        }
    }
    if (start < token.size())
        words << token.sliced(start).toString();
    return words;
}

QString spelled(const QString &word)
{
    const QString lower = word.toLower();
    if (const auto known = spelledWords().constFind(lower); known != spelledWords().cend())
        return *known;
    // A season's two-digit year, as in "autumn22".
    if (word.size() == 2 && word[0].isDigit() && word[1].isDigit())
        return u"20"_s + word;
    // Other abbreviations in capitals keep them.
    const bool allCapitals = word.size() > 1 && word == word.toUpper() && word != lower;
    return allCapitals ? word : lower;
}

} // namespace

QString derivedMetricTitle(const QString &topic, const QString &metric)
{
    QStringView name = metric;
    const bool officialSensitive = name.startsWith(kOfficialSensitivePrefix);
    if (officialSensitive)
        name = name.mid(kOfficialSensitivePrefix.size());
    if (!topic.isEmpty() && name.size() > topic.size() && name[topic.size()] == u'_'
        && name.startsWith(topic, Qt::CaseInsensitive))
        name = name.mid(topic.size() + 1);

    QStringList words;
    const QList<QStringView> tokens = name.split(u'_', Qt::SkipEmptyParts);
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        // "headline" names the kind, which the card shows.
        if (i == 0 && tokens.size() > 1 && tokens[i].compare(u"headline", Qt::CaseInsensitive) == 0)
            continue;
        const QStringList tokenWords = splitIdentifier(tokens[i]);
        // The dashboard's group ("cases_casesByDay", "coverage_coverageByYear") goes when the
        // next word repeats it.
        if (i == 1 && words.size() == 1 && !tokenWords.isEmpty()
            && tokenWords.front().compare(words.front(), Qt::CaseInsensitive) == 0)
            words.clear();
        for (const QString &word : tokenWords)
            words << spelled(word);
    }
    if (words.isEmpty())
        return metric;
    QString title = words.join(u' ');
    if (title[0].isLower())
        title[0] = title[0].toUpper();
    if (officialSensitive)
        title += u" (official-sensitive)"_s;
    return title;
}

} // namespace isobar
