#include "IngestRun.h"

using namespace Qt::StringLiterals;

namespace isobar {

QString IngestRun::outcomeName(Outcome outcome)
{
    return outcome == Outcome::Loaded ? u"loaded"_s : u"rejected"_s;
}

std::optional<IngestRun::Outcome> IngestRun::outcomeNamed(const QString &name)
{
    for (const Outcome outcome : {Outcome::Loaded, Outcome::Rejected}) {
        if (outcomeName(outcome) == name)
            return outcome;
    }
    return std::nullopt;
}

} // namespace isobar
