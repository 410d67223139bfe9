#pragma once

// The report options every image command shares (analyze, compare, series, batch's
// per-image outputs): whether to write the HTML page, how it names photos and people, and
// whether to print it to PDF.

#include <string>

#include "cli/common_options.h"

namespace needlescope::cli {

struct ReportArgs {
  bool no_report = false;
  bool anonymize = false;  // names and ids on the page become salted hashes
  std::string salt;        // with anonymize; required (a clinic's own secret)
  bool pdf = false;        // also <name>.report.pdf via headless Chromium
};

void AddReportOptions(po::options_description& desc, ReportArgs& args);
// Only --anonymize and --salt (batch: its outputs are not report pages).
void AddAnonymizeOptions(po::options_description& desc, ReportArgs& args);

// Throws UsageError for --anonymize without --salt, or --pdf with --no-report.
void CheckReportArgs(const ReportArgs& args);

// How a page names a photo or an id: its file name (the path's last part; the folders can
// name the patient), or with --anonymize "<kind> " + the first 12 hex digits of
// SHA-256(salt, the text as given). The same text and salt give the same name in every run.
std::string ShownName(const ReportArgs& args, const std::string& text, const std::string& kind = "photo");

// Prints `html_path` to `pdf_path` (A4) with headless Chromium, atomically (a temporary name
// renamed). Throws InputError naming pdf_path when Chromium is missing or fails.
void PrintReportToPdf(const std::string& html_path, const std::string& pdf_path);

}  // namespace needlescope::cli
