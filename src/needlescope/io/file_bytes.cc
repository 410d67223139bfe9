#include "needlescope/io/file_bytes.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "needlescope/io/input_error.h"

namespace needlescope {

std::vector<std::uint8_t> ReadFileBytes(const std::string& path, std::uint64_t max_bytes) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) throw InputError(path, "no such file");
  if (fs::is_directory(status)) throw InputError(path, "is a directory, not an image file");
  if (!fs::is_regular_file(status)) throw InputError(path, "not a regular file");
  const std::uint64_t size = fs::file_size(path, ec);
  if (ec) throw InputError(path, "cannot read file size: " + ec.message());
  if (size > max_bytes) {
    throw InputError(path, "file is " + std::to_string(size) + " bytes, over the " +
                               std::to_string(max_bytes) + "-byte read limit");
  }

  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, std::string("cannot open: ") + std::strerror(errno));
  std::vector<std::uint8_t> bytes(static_cast<size_t>(size));
  if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()),
                           static_cast<std::streamsize>(size))) {
    throw InputError(path, "read failed before the end of the file");
  }
  return bytes;
}

}  // namespace needlescope
