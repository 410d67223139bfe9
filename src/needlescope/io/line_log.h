#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace needlescope {

// An append-only file of lines (a batch's results.jsonl). A line counts only once its
// newline is on disk: the newline is the last byte of the one write() that appends it, so a
// run killed during that write leaves a last line without one, which Open cuts off.
class LineLog {
 public:
  // Opens (creating) `path` for appending; first truncates an unterminated last line, and
  // returns the complete lines already there in *existing (without their newlines). Throws
  // InputError naming the path.
  LineLog(const std::string& path, std::vector<std::string>* existing);
  ~LineLog();
  LineLog(const LineLog&) = delete;
  LineLog& operator=(const LineLog&) = delete;

  // Appends `line` (which must not hold a newline) and its newline; the bytes are with the
  // kernel when this returns (a killed process loses nothing; a power cut may). Throws
  // InputError.
  void Append(std::string_view line);

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace needlescope
