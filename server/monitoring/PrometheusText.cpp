#include "PrometheusText.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

QString escapeLabel(QString value)
{
    return value.replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s).replace(u'\n', u"\\n"_s);
}

} // namespace

void PrometheusText::family(QByteArrayView name, const char *type, QByteArrayView help)
{
    m_text += "# HELP ";
    m_text += name;
    m_text += ' ';
    m_text += help;
    m_text += "\n# TYPE ";
    m_text += name;
    m_text += ' ';
    m_text += type;
    m_text += '\n';
}

void PrometheusText::sample(QByteArrayView name, const Labels &labels, double value)
{
    m_text += name;
    if (!labels.isEmpty()) {
        m_text += '{';
        for (qsizetype i = 0; i < labels.size(); ++i) {
            if (i)
                m_text += ',';
            m_text +=
                labels[i].first.toUtf8() + "=\"" + escapeLabel(labels[i].second).toUtf8() + '"';
        }
        m_text += '}';
    }
    m_text += ' ';
    if (std::isinf(value))
        m_text += value > 0 ? "+Inf" : "-Inf";
    else if (value == std::floor(value) && std::fabs(value) < 1e15)
        m_text += QByteArray::number(qint64(value));
    else
        m_text += QByteArray::number(value, 'g', 12);
    m_text += '\n';
}

void PrometheusText::single(QByteArrayView name, const char *type, QByteArrayView help,
                            double value)
{
    family(name, type, help);
    sample(name, {}, value);
}

} // namespace isobar
