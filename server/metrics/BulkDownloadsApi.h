#pragma once

#include "api/QueryRunner.h"
#include "http/Router.h"

namespace isobar {

// UKHSA's bulk download, GET /api/bulkdownloads/v1?file_format=csv|json: one ZIP of every
// dashboard chart's download. UKHSA's charts are its CMS pages'; Isobar has no CMS, so its
// pages are the topics and its charts the national series: a folder per topic (its name as
// UKHSA writes a page title: "COVID-19" -> covid19), a file per time-series metric with national
// public data, holding what downloads/v2 answers for that metric in every nation.
class BulkDownloadsApi
{
public:
    BulkDownloadsApi(QueryRunner &runner, int maxRowsPerFile);
    void registerRoutes(Router &router);

    // A page title or chart name as UKHSA names its folder or file: words without
    // ()+,/\-{!'&@%*;:^$£?|".[]}, joined by '_', in lower case.
    static QString archiveName(const QString &title);

private:
    QFuture<HttpResponse> archive(const HttpRequest &request) const;

    QueryRunner &m_runner;
    int m_maxRowsPerFile;
};

} // namespace isobar
