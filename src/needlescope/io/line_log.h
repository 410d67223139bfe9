#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace needlescope {

// An append-only file of lines (a batch's results.jsonl). A line counts only once its
// newline is on disk: the newline is the last byte of the one write() that appends it, so a
// run killed during that write leaves a last line without one, which the constructor cuts.
class LineLog {
 public:
  // Opens (creating) `path` for appending; first truncates an unterminated last line and
  // counts the complete ones (reading the file once, a block at a time). Throws InputError
  // naming the path.
  explicit LineLog(const std::string& path);
  ~LineLog();
  LineLog(const LineLog&) = delete;
  LineLog& operator=(const LineLog&) = delete;

  std::size_t lines() const { return lines_; }  // complete lines, including those appended

  // Appends `line` (which must not hold a newline) and its newline; the bytes are with the
  // kernel when this returns (a killed process loses nothing; a power cut may). On a failed
  // write the file is cut back to where it was. Throws InputError.
  void Append(std::string_view line);

 private:
  std::string path_;
  int fd_ = -1;
  std::size_t lines_ = 0;
};

// Calls fn for each complete line of `path` (without its newline) from the 0-based line
// `skip` on, one line in memory at a time; an unterminated last line is not passed. Throws
// InputError naming the path when it cannot be read.
void ForEachLine(const std::string& path, std::size_t skip, const std::function<void(const std::string&)>& fn);

}  // namespace needlescope
