#include "cli/report_options.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cctype>
#include <cstdlib>
#include <thread>
#include <filesystem>
#include <vector>

#include "needlescope/io/atomic_write.h"
#include "needlescope/io/file_bytes.h"
#include "needlescope/io/input_error.h"
#include "needlescope/io/sha256.h"

extern char** environ;

namespace needlescope::cli {
namespace fs = std::filesystem;
namespace {

constexpr int kPdfSeconds = 120;

// The first of Debian's chromium binaries found on PATH, or "".
std::string FindChromium() {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    const size_t end = dirs.find(':', start);
    const std::string dir = dirs.substr(start, end == std::string::npos ? std::string::npos : end - start);
    for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
      const fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
      if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return "";
}

// A file:// URL for an absolute path: every byte but the unreserved ones and '/' percent-
// encoded, so that a name holding '#', '?', '%' or spaces still names the file.
std::string FileUrl(const std::string& absolute_path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string url = "file://";
  for (unsigned char c : absolute_path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      url += static_cast<char>(c);
    } else {
      url += '%';
      url += kHex[c >> 4];
      url += kHex[c & 15];
    }
  }
  return url;
}

}  // namespace

void AddAnonymizeOptions(po::options_description& desc, ReportArgs& args) {
  desc.add_options()
      ("anonymize", po::bool_switch(&args.anonymize),
       "name photos on report pages, and patient and session ids everywhere, by salted hashes\n"
       "(needs --salt)")
      ("salt", po::value(&args.salt)->default_value(""),
       "the secret mixed into --anonymize's hashes (keep it to recognise your own ids)");
}

void AddReportOptions(po::options_description& desc, ReportArgs& args) {
  desc.add_options()
      ("no-report", po::bool_switch(&args.no_report), "do not write the HTML report page")
      ("pdf", po::bool_switch(&args.pdf), "also print the report to PDF with headless Chromium")
      ("paper", po::value(&args.paper)->default_value(args.paper), "--pdf's paper: a4 or letter");
  AddAnonymizeOptions(desc, args);
}

void CheckReportArgs(const ReportArgs& args) {
  if (args.anonymize && args.salt.empty()) {
    throw UsageError("--anonymize needs --salt: without a secret, a name's hash can be found by trying names");
  }
  if (args.pdf && args.no_report) throw UsageError("--pdf prints the report: it cannot go with --no-report");
  if (args.paper != "a4" && args.paper != "letter") throw UsageError("--paper = " + args.paper + ": must be a4 or letter");
}

std::string ShownName(const ReportArgs& args, const std::string& text, const std::string& kind) {
  if (!args.anonymize) return fs::path(text).filename().string();
  const std::string salted = args.salt + '\n' + text;
  return kind + " " + Sha256Hex(reinterpret_cast<const std::uint8_t*>(salted.data()), salted.size()).substr(0, 12);
}

void PrintReportToPdf(const std::string& html_path, const std::string& pdf_path, const std::string& paper) {
  const std::string chromium = FindChromium();
  if (chromium.empty()) throw InputError(pdf_path, "--pdf needs Chromium (Debian package chromium), not found on PATH");
  const std::string partial = pdf_path + ".partial";
  // The page itself names no paper (printed from a browser it follows the printer's); the
  // copy printed here does.
  const std::string copy = pdf_path + ".print.html";
  const std::vector<std::uint8_t> bytes = ReadFileBytes(html_path);
  std::string html(bytes.begin(), bytes.end());
  const size_t head_end = html.find("</head>");
  if (head_end == std::string::npos) throw InputError(html_path, "not a report page (no </head>)");
  html.insert(head_end, std::string("<style>@page { size: ") + (paper == "letter" ? "letter" : "A4") + "; }</style>");
  WriteFileAtomically(copy, html);
  struct RemoveCopy {
    const std::string& path;
    ~RemoveCopy() {
      std::error_code ignored;
      fs::remove(path, ignored);
    }
  } remove_copy{copy};
  const std::string page = FileUrl(fs::absolute(copy).string());
  std::vector<std::string> argv_text = {chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                        "--no-pdf-header-footer", "--print-to-pdf=" + partial, page};
  std::vector<char*> argv;
  for (std::string& arg : argv_text) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, chromium.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  // A page that never finishes (it should not happen: the page fetches nothing) must not
  // hang the run: Chromium gets kPdfSeconds, then is killed.
  int status = 0;
  bool finished = false;
  if (spawned == 0) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kPdfSeconds);
    while (!finished) {
      const pid_t done = waitpid(pid, &status, WNOHANG);
      if (done == pid || done < 0) {
        finished = done == pid;
        break;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  if (!finished || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
      !fs::exists(partial) || fs::file_size(partial) == 0) {
    std::error_code ignored;
    fs::remove(partial, ignored);
    throw InputError(pdf_path, "Chromium could not print the report to PDF");
  }
  std::error_code ec;
  fs::rename(partial, pdf_path, ec);
  if (ec) throw InputError(pdf_path, "cannot rename the printed PDF into place: " + ec.message());
}

}  // namespace needlescope::cli
