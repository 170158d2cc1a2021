#include "UploadApi.h"

#include "Ingestor.h"
#include "MetricsDatabase.h"
#include "http/HomePromise.h"
#include "monitoring/PrometheusNames.h"
#include "monitoring/PrometheusText.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

Q_LOGGING_CATEGORY(lcUpload, "isobar.upload")

// When a client told 503 may send again: the store's busy timeout, so that a second try does
// not meet the same writer at once.
constexpr int kStoreBusyRetrySeconds = MetricsDatabase::kBusyTimeoutMs / 1000;

// A name the Ingestor can judge by (extension, OFF-SENS_ prefix); never a path.
bool isPlainFileName(const QString &name)
{
    static const QRegularExpression allowed(u"^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,200}$"_s);
    return allowed.match(name).hasMatch() && !name.contains(u".."_s);
}

QByteArray headerParameter(const QByteArray &header, const QByteArray &name)
{
    for (QByteArray part : header.split(';')) {
        part = part.trimmed();
        if (part.size() > name.size() && part.first(name.size() + 1).toLower() == name + '=') {
            QByteArray value = part.sliced(name.size() + 1).trimmed();
            if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
                value = value.sliced(1, value.size() - 2);
            return value;
        }
    }
    return {};
}

// The first part of a multipart/form-data body that carries a file (RFC 7578).
UploadApi::Upload fromMultipart(const QByteArray &body, const QByteArray &boundary, QString *error)
{
    const QByteArray delimiter = QByteArray("--") + boundary;
    const QByteArray partEnd = QByteArray("\r\n") + delimiter;
    qsizetype at = body.indexOf(delimiter);
    while (at >= 0) {
        qsizetype headersStart = at + delimiter.size();
        if (body.mid(headersStart, 2) == "--")
            break; // the closing delimiter
        headersStart = body.indexOf("\r\n", headersStart);
        const qsizetype headersEnd = headersStart < 0 ? -1 : body.indexOf("\r\n\r\n", headersStart);
        const qsizetype next = headersEnd < 0 ? -1 : body.indexOf(partEnd, headersEnd);
        if (next < 0) {
            *error = u"the multipart body is truncated or malformed"_s;
            return {};
        }
        QByteArray disposition;
        for (const QByteArray &line :
             body.mid(headersStart + 2, headersEnd - headersStart - 2).split('\n')) {
            const QByteArray header = line.trimmed();
            if (header.toLower().startsWith("content-disposition:"))
                disposition = header.sliced(header.indexOf(':') + 1);
        }
        const QByteArray fileName = headerParameter(disposition, "filename");
        if (!fileName.isEmpty())
            return {QString::fromUtf8(fileName), body.mid(headersEnd + 4, next - headersEnd - 4)};
        at = next + 2;
    }
    *error = u"the multipart body holds no file part (a part with a filename)"_s;
    return {};
}

} // namespace

UploadApi::UploadApi(QString databasePath, Options options, Changed changed)
    : m_databasePath(std::move(databasePath))
    , m_options(options)
    , m_changed(std::move(changed))
{
    m_pool.setMaxThreadCount(1); // one writer at a time: SQLite has one anyway
}

UploadApi::~UploadApi()
{
    m_pool.waitForDone();
}

void UploadApi::registerRoutes(Router &router)
{
    router.add("PUT", u"/api/upload"_s,
               u"Load one CSV or JSON file (raw body or multipart) into the store"_s,
               [this](const HttpRequest &request, const RouteParams &) { return upload(request); });
}

UploadApi::Stats UploadApi::stats() const
{
    return Stats{m_filesOk.load(), m_filesFailed.load(), m_pointsInserted.load(),
                 m_pointsUpdated.load()};
}

UploadApi::Upload UploadApi::extract(const HttpRequest &request, ApiError *error)
{
    const QByteArray contentType = request.header("content-type");
    const QByteArray mediaType = contentType.split(';').first().trimmed().toLower();
    Upload upload;
    QString nameField = u"file"_s; // or the ?filename= that named it
    if (mediaType == "multipart/form-data") {
        const QByteArray boundary = headerParameter(contentType, "boundary");
        if (boundary.isEmpty() || boundary.size() > 70) {
            *error = {400,
                      u"Content-Type multipart/form-data needs a boundary of 1 to 70 characters"_s,
                      u"file"_s};
            return {};
        }
        QString multipartError;
        upload = fromMultipart(request.body, boundary, &multipartError);
        if (!multipartError.isEmpty()) {
            *error = {400, multipartError, u"file"_s};
            return {};
        }
    } else {
        upload.content = request.body;
        upload.fileName = request.query.queryItemValue(u"filename"_s, QUrl::FullyDecoded);
        if (upload.fileName.isEmpty()) {
            if (mediaType == "text/csv")
                upload.fileName = u"upload.csv"_s;
            else if (mediaType == "application/json")
                upload.fileName = u"upload.json"_s;
        } else {
            nameField = u"filename"_s;
        }
    }
    upload.fileName = QFileInfo(upload.fileName).fileName(); // a client's folders mean nothing here
    if (upload.fileName.isEmpty()) {
        *error = {400,
                  u"name the file: ?filename=NAME.csv|.json, Content-Type text/csv or "
                  "application/json, or a multipart file part"_s,
                  nameField};
    } else if (!isPlainFileName(upload.fileName)
               || !(upload.fileName.endsWith(u".csv", Qt::CaseInsensitive)
                    || upload.fileName.endsWith(u".json", Qt::CaseInsensitive))) {
        *error = {400, u"'%1' is not a plain .csv or .json file name"_s.arg(upload.fileName),
                  nameField};
    } else if (upload.content.isEmpty()) {
        *error = {400, u"the file is empty"_s, u"file"_s};
    }
    return error->detail.isEmpty() ? upload : Upload{};
}

QFuture<HttpResponse> UploadApi::upload(const HttpRequest &request)
{
    if (!m_options.enabled) {
        return readyResponse(HttpResponse::problem(
            403, u"uploads are disabled on this server (start it with --enable-upload)"_s));
    }
    ApiError error;
    const Upload file = extract(request, &error);
    if (!error.detail.isEmpty())
        return readyResponse(error.toResponse());
    if (m_pending.load() >= m_options.maxQueued) {
        HttpResponse busy =
            HttpResponse::problem(503, u"too many uploads in progress; try again"_s);
        busy.setHeader("Retry-After", QByteArray::number(kStoreBusyRetrySeconds));
        return readyResponse(busy);
    }
    ++m_pending;
    const QString subject = request.subject;
    QFuture<HttpResponse> done = runOnPool(m_pool, [this, path = m_databasePath, file] {
        MetricsDatabase database;
        if (!database.open(path))
            return HttpResponse::problem(503, u"the store cannot be opened for writing"_s);
        Ingestor ingestor(database.connection());
        IngestReport report;
        report.files << ingestor.ingestContent(file.content, file.fileName,
                                               QDateTime::currentSecsSinceEpoch());
        const FileReport &loaded = report.files.constFirst();
        ++(loaded.ok ? m_filesOk : m_filesFailed);
        if (loaded.ok) {
            m_pointsInserted += loaded.counts.inserted;
            m_pointsUpdated += loaded.counts.updated;
        }
        // Same report as `isobar ingest`. A rejected file changed nothing and is the client's
        // fault; a store that could not take it (another process writing past the busy
        // timeout, say) is the server's, and the same file may be sent again.
        if (loaded.storeFailed) {
            HttpResponse busy = HttpResponse::json(report.toJson(), 503);
            busy.setHeader("Retry-After", QByteArray::number(kStoreBusyRetrySeconds));
            return busy;
        }
        return HttpResponse::json(report.toJson(), loaded.ok ? 200 : 400);
    });
    return done.then(
        QtFuture::Launch::Sync, [this, subject, name = file.fileName](HttpResponse response) {
            --m_pending;
            qCInfo(lcUpload).noquote() << u"event=upload file=%1 status=%2 subject=%3"_s.arg(name)
                                              .arg(response.status)
                                              .arg(subject.isEmpty() ? u"-"_s : subject);
            if (response.status == 200 && m_changed)
                QMetaObject::invokeMethod(&m_home, m_changed, Qt::QueuedConnection);
            return response;
        });
}

void UploadApi::writePrometheus(PrometheusText &out) const
{
    const Stats now = stats();
    out.family(prometheus::kIngestFiles, "counter",
               "Files ingested through the upload API, by outcome.");
    out.sample(prometheus::kIngestFiles, {{u"outcome"_s, u"ok"_s}}, double(now.filesOk));
    out.sample(prometheus::kIngestFiles, {{u"outcome"_s, u"failed"_s}}, double(now.filesFailed));
    out.family(prometheus::kIngestPoints, "counter", "Points stored through the upload API.");
    out.sample(prometheus::kIngestPoints, {{u"change"_s, u"inserted"_s}},
               double(now.pointsInserted));
    out.sample(prometheus::kIngestPoints, {{u"change"_s, u"updated"_s}}, double(now.pointsUpdated));
}

} // namespace isobar
