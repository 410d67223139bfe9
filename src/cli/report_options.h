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
  std::string paper = "a4";  // the PDF's paper: a4 or letter (a printed page follows the printer's)
};

void AddReportOptions(po::options_description& desc, ReportArgs& args);
// Only --anonymize and --salt (batch: its outputs are not report pages).
void AddAnonymizeOptions(po::options_description& desc, ReportArgs& args);

// Throws UsageError for --anonymize without --salt, --pdf with --no-report, or a --paper
// that is not a4 or letter.
void CheckReportArgs(const ReportArgs& args);

// How a page names a photo or an id: its file name (the path's last part; the folders can
// name the patient), or with --anonymize "<kind> " + the first 12 hex digits of
// SHA-256(salt, the text as given). The same text and salt give the same name in every run.
std::string ShownName(const ReportArgs& args, const std::string& text, const std::string& kind = "photo");

// Prints `html_path` to `pdf_path` on `paper` ("a4" or "letter") with headless Chromium,
// atomically (a temporary name renamed; the page is printed from a temporary copy that sets
// the paper, removed after). Throws InputError naming pdf_path when Chromium is missing or fails.
void PrintReportToPdf(const std::string& html_path, const std::string& pdf_path, const std::string& paper);

}  // namespace needlescope::cli
