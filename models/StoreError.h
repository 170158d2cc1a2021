#pragma once

#include <QString>
#include <stdexcept>

namespace isobar {

// A read the store refused: an unreadable or corrupt file, an I/O error, a lost connection.
// The answer would be wrong, so none is given: the layers above turn it into "the store is
// unavailable" (503 in the API, a banner on the desktop), never into an empty result.
class StoreError : public std::runtime_error
{
public:
    explicit StoreError(const QString &reason)
        : std::runtime_error(reason.toStdString())
        , m_reason(reason)
    {}

    QString reason() const { return m_reason; }

private:
    QString m_reason;
};

} // namespace isobar
