#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace needlescope::cli {

// A long run's progress on stderr: on a terminal one line (done/total, images per second,
// time left) redrawn in place; otherwise (CI, Slurm logs) a plain line every `log_every`
// and at the end. Messages printed through it clear the line first.
class Progress {
 public:
  Progress(std::size_t total, bool terminal, bool quiet,
           std::chrono::seconds log_every = std::chrono::seconds(30));
  // One more input finished (skipped: done by an earlier run; failed: an error).
  void Step(bool skipped, bool failed);
  void Message(const std::string& line);  // a whole line (an input's error), without newline
  void Finish();

 private:
  void Draw(bool force);
  std::string Line() const;

  const std::size_t total_;
  const bool terminal_, quiet_;
  const std::chrono::seconds log_every_;
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_draw_ = start_;
  std::size_t done_ = 0, skipped_ = 0, failed_ = 0;
  bool line_open_ = false;
};

}  // namespace needlescope::cli
