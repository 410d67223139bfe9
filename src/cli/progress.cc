#include "cli/progress.h"

#include <cstdio>
#include <iostream>

namespace needlescope::cli {
namespace {

std::string Clock(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char text[32];
  std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  return text;
}

}  // namespace

Progress::Progress(std::size_t total, bool terminal, bool quiet, std::chrono::seconds log_every)
    : total_(total), terminal_(terminal), quiet_(quiet), log_every_(log_every) {}

std::string Progress::Line() const {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const std::size_t analysed = done_ - skipped_;  // the rate counts work done, not skips
  const double rate = elapsed > 0 ? analysed / elapsed : 0;
  char text[200];
  std::snprintf(text, sizeof text, "batch: %zu/%zu done (%zu failed, %zu from earlier runs), %.2f images/s, %s",
                done_, total_, failed_, skipped_, rate,
                done_ == total_ ? ("in " + Clock(elapsed)).c_str()
                : rate > 0      ? ("about " + Clock((total_ - done_) / rate) + " left").c_str()
                                : "time left unknown");
  return text;
}

void Progress::Draw(bool force) {
  if (quiet_) return;
  const auto now = std::chrono::steady_clock::now();
  if (terminal_) {
    if (!force && now - last_draw_ < std::chrono::milliseconds(200)) return;
    std::cerr << "\r\033[K" << Line() << std::flush;
    line_open_ = true;
  } else {
    if (!force && now - last_draw_ < log_every_) return;
    std::cerr << Line() << "\n";
  }
  last_draw_ = now;
}

void Progress::Step(bool skipped, bool failed) {
  ++done_;
  skipped_ += skipped;
  failed_ += failed;
  Draw(false);
}

void Progress::Message(const std::string& line) {
  if (line_open_) std::cerr << "\r\033[K";
  std::cerr << line << "\n";
  line_open_ = false;
  if (terminal_) Draw(true);
}

void Progress::Finish() {
  Draw(true);
  if (line_open_ && !quiet_) std::cerr << "\n";
  line_open_ = false;
}

}  // namespace needlescope::cli
