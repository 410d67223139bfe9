#pragma once

#include <stdexcept>
#include <string>

namespace needlescope {

// Bad input or I/O (tier 2 of STYLE.md): names the file and the reason. The CLI prints
// "needlescope: error: <path>: <reason>" and exits 2; a batch skips to the next file.
class InputError : public std::runtime_error {
 public:
  InputError(std::string path, std::string reason)
      : std::runtime_error(path + ": " + reason),
        path_(std::move(path)),
        reason_(std::move(reason)) {}

  const std::string& path() const { return path_; }
  const std::string& reason() const { return reason_; }

 private:
  std::string path_;
  std::string reason_;
};

}  // namespace needlescope
