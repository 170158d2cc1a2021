#include "S3Bucket.h"

#include <QDateTime>
#include <QXmlStreamReader>
#include <curl/curl.h>
#include <mutex>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

struct Transfer {
    const std::function<bool(const char *, size_t)> *sink = nullptr;
    QByteArray errorBody; // a non-2xx answer's body, kept for its message (bounded)
    long status = 0;
    CURL *curl = nullptr;
    const std::atomic_bool *cancel = nullptr;
};

constexpr qsizetype kMaxErrorBody = qsizetype(16) * 1024;

size_t onBody(char *data, size_t size, size_t count, void *user)
{
    auto *transfer = static_cast<Transfer *>(user);
    const size_t bytes = size * count;
    if (transfer->status == 0)
        curl_easy_getinfo(transfer->curl, CURLINFO_RESPONSE_CODE, &transfer->status);
    if (transfer->status < 200 || transfer->status > 299) {
        if (transfer->errorBody.size() < kMaxErrorBody)
            transfer->errorBody.append(data, qsizetype(bytes));
        return bytes;
    }
    return (*transfer->sink)(data, bytes) ? bytes : 0;
}

int onProgress(void *user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    const auto *transfer = static_cast<Transfer *>(user);
    return transfer->cancel && transfer->cancel->load() ? 1 : 0;
}

// S3's <Error><Code>...</Code><Message>...</Message></Error>, as "Code: Message".
QString s3Error(const QByteArray &body)
{
    QXmlStreamReader xml(body);
    QString code, message;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == u"Code")
            code = xml.readElementText();
        else if (xml.isStartElement() && xml.name() == u"Message")
            message = xml.readElementText();
    }
    if (code.isEmpty())
        return u"no S3 error document"_s;
    return message.isEmpty() ? code : u"%1: %2"_s.arg(code, message);
}

struct ListPage {
    QList<S3Bucket::Object> objects;
    QString nextToken; // empty on the last page
};

bool parseListPage(const QByteArray &xmlText, ListPage *page, QString *error)
{
    QXmlStreamReader xml(xmlText);
    S3Bucket::Object object;
    bool truncated = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isEndElement() && xml.name() == u"Contents") {
            page->objects << object;
            object = {};
        }
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == u"Key")
            object.key = xml.readElementText();
        else if (name == u"ETag")
            object.etag = xml.readElementText();
        else if (name == u"Size")
            object.bytes = xml.readElementText().toLongLong();
        else if (name == u"LastModified")
            object.lastModifiedMs =
                QDateTime::fromString(xml.readElementText(), Qt::ISODateWithMs).toMSecsSinceEpoch();
        else if (name == u"IsTruncated")
            truncated = xml.readElementText() == u"true";
        else if (name == u"NextContinuationToken")
            page->nextToken = xml.readElementText();
    }
    if (xml.hasError()) {
        *error = u"the bucket listing is not valid XML: %1"_s.arg(xml.errorString());
        return false;
    }
    if (truncated && page->nextToken.isEmpty()) {
        *error = u"the bucket listing is truncated without a continuation token"_s;
        return false;
    }
    if (!truncated)
        page->nextToken.clear();
    return true;
}

} // namespace

S3Bucket::S3Bucket(S3Access access, Limits limits, const std::atomic_bool *cancel)
    : m_access(std::move(access))
    , m_limits(limits)
    , m_cancel(cancel)
{
    static std::once_flag initialized;
    std::call_once(initialized, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    m_curl = curl_easy_init();
}

S3Bucket::~S3Bucket()
{
    curl_easy_cleanup(m_curl);
}

bool S3Bucket::get(const QByteArray &url, int timeoutMs, const Sink &sink, QString *error)
{
    if (!m_curl) {
        *error = u"libcurl could not be initialised"_s;
        return false;
    }
    curl_easy_reset(m_curl);
    Transfer transfer{&sink, {}, 0, m_curl, m_cancel};
    const QByteArray sigV4 = "aws:amz:" + m_access.region.toUtf8() + ":s3";
    const QByteArray user = m_access.accessKeyId.toUtf8();
    const QByteArray secret = m_access.secretAccessKey.toUtf8();
    // GETs have no body: its hash is the empty string's. S3 wants the header; curl 7.88 signs it
    // but does not add it.
    curl_slist *headers = curl_slist_append(
        nullptr,
        "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    if (!m_access.sessionToken.isEmpty()) {
        const QByteArray token = "x-amz-security-token: " + m_access.sessionToken.toUtf8();
        headers = curl_slist_append(headers, token.constData());
    }
    curl_easy_setopt(m_curl, CURLOPT_URL, url.constData());
    curl_easy_setopt(m_curl, CURLOPT_AWS_SIGV4, sigV4.constData());
    curl_easy_setopt(m_curl, CURLOPT_USERNAME, user.constData());
    curl_easy_setopt(m_curl, CURLOPT_PASSWORD, secret.constData());
    curl_easy_setopt(m_curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(m_curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(m_curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(m_curl, CURLOPT_CONNECTTIMEOUT_MS, long(m_limits.connectTimeoutMs));
    if (timeoutMs > 0)
        curl_easy_setopt(m_curl, CURLOPT_TIMEOUT_MS, long(timeoutMs));
    // A transfer that stalls (under a byte a second for this long) is given up, however large.
    curl_easy_setopt(m_curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(m_curl, CURLOPT_LOW_SPEED_TIME, long(m_limits.stalledTimeoutMs / 1000));
    curl_easy_setopt(m_curl, CURLOPT_WRITEFUNCTION, onBody);
    curl_easy_setopt(m_curl, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(m_curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(m_curl, CURLOPT_XFERINFOFUNCTION, onProgress);
    curl_easy_setopt(m_curl, CURLOPT_XFERINFODATA, &transfer);
    const CURLcode result = curl_easy_perform(m_curl);
    curl_slist_free_all(headers);
    curl_easy_getinfo(m_curl, CURLINFO_RESPONSE_CODE, &transfer.status);

    if (m_cancel && m_cancel->load()) {
        *error = u"cancelled"_s;
        return false;
    }
    if (transfer.status >= 200 && transfer.status <= 299 && result == CURLE_OK)
        return true;
    if (transfer.status >= 300) {
        *error = u"S3 answered %1 (%2)"_s.arg(transfer.status).arg(s3Error(transfer.errorBody));
    } else if (result == CURLE_WRITE_ERROR) {
        *error = u"the transfer was stopped"_s;
    } else {
        *error = u"S3 cannot be reached: %1"_s.arg(QString::fromUtf8(curl_easy_strerror(result)));
    }
    return false;
}

bool S3Bucket::list(QList<Object> *objects, QString *error)
{
    objects->clear();
    QString token;
    do {
        // The query in the order Signature Version 4 sorts it, encoded as it encodes it.
        QByteArray url = m_access.objectUrl(QString()) + "?";
        if (!token.isEmpty())
            url += "continuation-token=" + QUrl::toPercentEncoding(token) + "&";
        url += "list-type=2&prefix=" + QUrl::toPercentEncoding(m_access.prefix);
        QByteArray body;
        const Sink collect = [&body](const char *data, size_t size) {
            body.append(data, qsizetype(size));
            return true;
        };
        ListPage page;
        if (!get(url, m_limits.listTimeoutMs, collect, error)
            || !parseListPage(body, &page, error)) {
            error->prepend(u"listing %1: "_s.arg(m_access.description()));
            return false;
        }
        *objects << page.objects;
        token = page.nextToken;
    } while (!token.isEmpty() && objects->size() < m_limits.maxListed);
    if (objects->size() > m_limits.maxListed)
        objects->resize(m_limits.maxListed);
    return true;
}

bool S3Bucket::download(const QString &key, QIODevice &into, qint64 maxBytes, QString *error)
{
    qint64 received = 0;
    bool tooLarge = false;
    bool writeFailed = false;
    const Sink write = [&](const char *data, size_t size) {
        received += qint64(size);
        if (received > maxBytes) {
            tooLarge = true;
            return false;
        }
        writeFailed = into.write(data, qint64(size)) != qint64(size);
        return !writeFailed;
    };
    if (get(m_access.objectUrl(key), 0, write, error))
        return true;
    if (tooLarge)
        *error = u"larger than %1 bytes"_s.arg(maxBytes);
    else if (writeFailed)
        *error = u"cannot keep the download: %1"_s.arg(into.errorString());
    error->prepend(u"reading s3://%1/%2: "_s.arg(m_access.bucket, key));
    return false;
}

} // namespace isobar
