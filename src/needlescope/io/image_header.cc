#include "needlescope/io/image_header.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <set>
#include <string>

#include "needlescope/io/byte_reader.h"
#include "needlescope/io/input_error.h"

namespace needlescope {
namespace {

using namespace bytes;

bool StartsWith(const std::uint8_t* data, std::size_t size, const char* magic, std::size_t n) {
  return size >= n && std::memcmp(data, magic, n) == 0;
}

void SetSize(ImageHeader& header, std::uint64_t width, std::uint64_t height,
             const std::string& path) {
  if (width == 0 || height == 0) throw InputError(path, "corrupt header: zero image size");
  if (width > std::numeric_limits<int>::max() || height > std::numeric_limits<int>::max()) {
    throw InputError(path, "corrupt header: image size out of range");
  }
  header.width = static_cast<int>(width);
  header.height = static_cast<int>(height);
}

ImageHeader ParseJpeg(const std::uint8_t* d, std::size_t size, const std::string& path) {
  ImageHeader header;
  header.format = ImageFormat::kJpeg;
  bool have_frame = false;
  std::size_t pos = 2;  // after SOI
  while (true) {
    while (pos < size && d[pos] == 0xFF && pos + 1 < size && d[pos + 1] == 0xFF) ++pos;  // fill
    if (pos + 2 > size) throw InputError(path, "truncated JPEG: ends inside its headers");
    if (d[pos] != 0xFF) throw InputError(path, "corrupt JPEG: expected a marker in the headers");
    const std::uint8_t marker = d[pos + 1];
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {  // markers without length
      pos += 2;
      continue;
    }
    if (marker == 0xD9) throw InputError(path, "corrupt JPEG: end marker before any image data");
    if (pos + 4 > size) throw InputError(path, "truncated JPEG: ends inside its headers");
    const std::size_t length = Be16(d + pos + 2);
    if (length < 2) throw InputError(path, "corrupt JPEG: bad segment length");
    if (pos + 2 + length > size) throw InputError(path, "truncated JPEG: ends inside its headers");
    const std::uint8_t* segment = d + pos + 4;
    const std::size_t segment_size = length - 2;

    const bool is_frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
                          marker != 0xCC;
    if (is_frame && !have_frame) {
      if (segment_size < 6) throw InputError(path, "corrupt JPEG: short frame header");
      const std::uint32_t height = Be16(segment + 1);
      if (height == 0) throw InputError(path, "unsupported JPEG: height given by a DNL marker");
      SetSize(header, Be16(segment + 3), height, path);
      have_frame = true;
    } else if (marker == 0xE1 && header.exif_size == 0 && segment_size > 6 &&
               std::memcmp(segment, "Exif\0\0", 6) == 0) {
      header.exif_offset = static_cast<std::size_t>(segment - d) + 6;
      header.exif_size = segment_size - 6;
    } else if (marker == 0xDA) {  // start of scan: entropy-coded data follows
      if (!have_frame) throw InputError(path, "corrupt JPEG: image data before the frame header");
      // 0xFF 0xD9 cannot occur inside entropy-coded data (0xFF is stuffed), and embedded
      // thumbnails sit in APP segments already skipped, so the first one found is the end.
      static const std::uint8_t kEoi[] = {0xFF, 0xD9};
      const std::uint8_t* begin = segment + segment_size;
      if (std::search(begin, d + size, kEoi, kEoi + 2) == d + size) {
        throw InputError(path, "truncated JPEG: no end-of-image marker (file cut short?)");
      }
      return header;
    }
    pos += 2 + length;
  }
}

ImageHeader ParsePng(const std::uint8_t* d, std::size_t size, const std::string& path) {
  ImageHeader header;
  header.format = ImageFormat::kPng;
  std::size_t pos = 8;  // after the signature
  bool first = true;
  while (true) {
    if (pos + 12 > size) throw InputError(path, "truncated PNG: no IEND chunk (file cut short?)");
    const std::uint64_t length = Be32(d + pos);
    const std::uint8_t* type = d + pos + 4;
    if (length > 0x7FFFFFFFu) throw InputError(path, "corrupt PNG: bad chunk length");
    if (pos + 12 + length > size) {
      throw InputError(path, "truncated PNG: a chunk runs past the end of the file");
    }
    const std::uint8_t* data = d + pos + 8;
    if (first) {
      if (std::memcmp(type, "IHDR", 4) != 0 || length < 13) {
        throw InputError(path, "corrupt PNG: first chunk is not IHDR");
      }
      SetSize(header, Be32(data), Be32(data + 4), path);
      first = false;
    } else if (std::memcmp(type, "eXIf", 4) == 0 && header.exif_size == 0) {
      header.exif_offset = static_cast<std::size_t>(data - d);
      header.exif_size = static_cast<std::size_t>(length);
    } else if (std::memcmp(type, "IEND", 4) == 0) {
      return header;
    }
    pos += 12 + static_cast<std::size_t>(length);
  }
}

// Checks that every strip (or tile) a TIFF's first image points at lies inside the file.
void CheckTiffDataInside(const std::uint8_t* d, std::size_t size, const TiffByteOrder& order,
                         const std::uint8_t* offsets_entry, const std::uint8_t* counts_entry,
                         const std::string& path) {
  auto values = [&](const std::uint8_t* entry, std::uint64_t i) -> std::uint64_t {
    const std::uint32_t type = order.U16(entry + 2);
    const std::uint64_t count = order.U32(entry + 4);
    const std::size_t width = type == 3 ? 2 : 4;
    const std::uint8_t* base = entry + 8;
    if (count * width > 4) {
      const std::uint64_t at = order.U32(entry + 8);
      if (at + count * width > size) {
        throw InputError(path, "truncated TIFF: strip table runs past the end of the file");
      }
      base = d + at;
    }
    return width == 2 ? order.U16(base + 2 * i) : order.U32(base + 4 * i);
  };
  const std::uint64_t count = order.U32(offsets_entry + 4);
  if (count != order.U32(counts_entry + 4)) {
    throw InputError(path, "corrupt TIFF: strip offset and byte-count tables differ in length");
  }
  for (std::uint64_t i = 0; i < count; ++i) {
    if (values(offsets_entry, i) + values(counts_entry, i) > size) {
      throw InputError(path, "truncated TIFF: image data runs past the end of the file");
    }
  }
}

// Full-resolution images in the chain of directories that starts at `first_ifd` (whose
// entries were already checked to lie inside the file). A directory marked as a reduced-
// resolution copy (NewSubfileType, tag 254, bit 0: a thumbnail) is not a page. The walk stops
// at the file's end, at a directory seen before (a loop) and after 10,000 directories.
int CountTiffPages(const std::uint8_t* d, std::size_t size, const TiffByteOrder& order, std::uint64_t first_ifd) {
  int pages = 0;
  std::set<std::uint64_t> seen;
  for (std::uint64_t ifd = first_ifd; ifd != 0 && ifd + 2 <= size && seen.size() < 10000 && seen.insert(ifd).second;) {
    const std::uint64_t entries = order.U16(d + ifd);
    if (ifd + 2 + 12 * entries + 4 > size) break;
    bool thumbnail = false;
    for (std::uint64_t i = 0; i < entries; ++i) {
      const std::uint8_t* entry = d + ifd + 2 + 12 * i;
      if (order.U16(entry) == 254) thumbnail = (order.U32(entry + 8) & 1u) != 0;
    }
    pages += !thumbnail;
    ifd = order.U32(d + ifd + 2 + 12 * entries);
  }
  return pages;
}

ImageHeader ParseTiff(const std::uint8_t* d, std::size_t size, const std::string& path) {
  ImageHeader header;
  header.format = ImageFormat::kTiff;
  header.exif_offset = 0;  // a TIFF file is itself the TIFF structure orientation is read from
  header.exif_size = size;
  TiffByteOrder order{d[0] == 'I'};
  if (order.U16(d + 2) == 43) throw InputError(path, "unsupported image format: BigTIFF");
  if (size < 8) throw InputError(path, "truncated TIFF: ends inside its header");
  const std::uint64_t ifd = order.U32(d + 4);
  if (ifd + 2 > size) throw InputError(path, "truncated TIFF: first directory past end of file");
  const std::uint64_t entries = order.U16(d + ifd);
  if (ifd + 2 + 12 * entries > size) throw InputError(path, "truncated TIFF: directory cut short");

  std::uint64_t width = 0, height = 0;
  const std::uint8_t* strip_offsets = nullptr;
  const std::uint8_t* strip_counts = nullptr;
  const std::uint8_t* tile_offsets = nullptr;
  const std::uint8_t* tile_counts = nullptr;
  std::set<std::uint32_t> tags_seen;
  for (std::uint64_t i = 0; i < entries; ++i) {
    const std::uint8_t* entry = d + ifd + 2 + 12 * i;
    const std::uint32_t tag = order.U16(entry);
    // A tag given twice (TIFF 6.0 allows one of each): libtiff believes the first, so the
    // size read here and the size decoded could differ, and with them the pixel cap (a
    // 146-px-wide "TIFF" decoded 2.9 GB wide, found by tests/fuzz).
    if (!tags_seen.insert(tag).second) {
      throw InputError(path, "corrupt TIFF: tag " + std::to_string(tag) + " appears twice in the first directory");
    }
    const std::uint32_t type = order.U16(entry + 2);
    const std::uint32_t value = type == 3 ? order.U16(entry + 8) : order.U32(entry + 8);
    switch (tag) {
      case 256: width = value; break;
      case 257: height = value; break;
      case 273: strip_offsets = entry; break;
      case 279: strip_counts = entry; break;
      case 324: tile_offsets = entry; break;
      case 325: tile_counts = entry; break;
      case 274: header.tiff_orientation_value_offset = static_cast<std::size_t>(entry + 8 - d); break;
      default: break;
    }
  }
  SetSize(header, width, height, path);
  if (const int pages = CountTiffPages(d, size, order, ifd); pages > 1) {
    throw InputError(path, "multi-page TIFF (" + std::to_string(pages) +
                               " pages): needlescope reads one photo per file; save each page on its own");
  }
  if (strip_offsets && strip_counts) {
    CheckTiffDataInside(d, size, order, strip_offsets, strip_counts, path);
  } else if (tile_offsets && tile_counts) {
    CheckTiffDataInside(d, size, order, tile_offsets, tile_counts, path);
  } else {
    throw InputError(path, "corrupt TIFF: no strip or tile table");
  }
  return header;
}

ImageHeader ParseWebp(const std::uint8_t* d, std::size_t size, const std::string& path) {
  ImageHeader header;
  header.format = ImageFormat::kWebp;
  const std::uint64_t riff_end = 8 + std::uint64_t{Le32(d + 4)};
  if (riff_end > size) throw InputError(path, "truncated WebP: file shorter than its RIFF size");
  if (size < 30) throw InputError(path, "truncated WebP: ends inside its header");
  const std::uint8_t* chunk = d + 12;
  if (std::memcmp(chunk, "VP8 ", 4) == 0) {
    if (d[23] != 0x9D || d[24] != 0x01 || d[25] != 0x2A) {
      throw InputError(path, "corrupt WebP: bad VP8 frame signature");
    }
    SetSize(header, Le16(d + 26) & 0x3FFF, Le16(d + 28) & 0x3FFF, path);
  } else if (std::memcmp(chunk, "VP8L", 4) == 0) {
    if (d[20] != 0x2F) throw InputError(path, "corrupt WebP: bad VP8L signature");
    const std::uint32_t bits = Le32(d + 21);
    SetSize(header, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, path);
  } else if (std::memcmp(chunk, "VP8X", 4) == 0) {
    if (d[20] & 0x02) {  // the VP8X flags' animation bit (WebP container spec)
      throw InputError(path, "animated WebP: needlescope reads one still photo per file; save the frame you want on its own");
    }
    SetSize(header, Le24(d + 24) + 1, Le24(d + 27) + 1, path);
    for (std::uint64_t pos = 12; pos + 8 <= riff_end;) {
      const std::uint64_t length = Le32(d + pos + 4);
      if (pos + 8 + length > riff_end) throw InputError(path, "truncated WebP: chunk cut short");
      if (std::memcmp(d + pos, "EXIF", 4) == 0) {
        header.exif_offset = static_cast<std::size_t>(pos + 8);
        header.exif_size = static_cast<std::size_t>(length);
        break;
      }
      pos += 8 + length + (length & 1);  // chunks are padded to even length
    }
  } else {
    throw InputError(path, "corrupt WebP: unknown first chunk");
  }
  return header;
}

}  // namespace

const char* ImageFormatName(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg: return "jpeg";
    case ImageFormat::kPng: return "png";
    case ImageFormat::kTiff: return "tiff";
    case ImageFormat::kWebp: return "webp";
  }
  return "unknown";
}

ImageHeader ParseImageHeader(const std::uint8_t* d, std::size_t size, const std::string& path) {
  if (size == 0) throw InputError(path, "empty file (0 bytes)");
  if (StartsWith(d, size, "\xFF\xD8\xFF", 3)) return ParseJpeg(d, size, path);
  if (StartsWith(d, size, "\x89PNG\r\n\x1A\n", 8)) return ParsePng(d, size, path);
  if (StartsWith(d, size, "II*\0", 4) || StartsWith(d, size, "MM\0*", 4) ||
      StartsWith(d, size, "II+\0", 4) || StartsWith(d, size, "MM\0+", 4)) {
    return ParseTiff(d, size, path);
  }
  if (size >= 12 && StartsWith(d, size, "RIFF", 4) && std::memcmp(d + 8, "WEBP", 4) == 0) {
    return ParseWebp(d, size, path);
  }
  if (StartsWith(d, size, "BM", 2)) {
    throw InputError(path, "unsupported image format (BMP): needlescope reads JPEG, PNG, TIFF, WebP");
  }
  if (StartsWith(d, size, "GIF87a", 6) || StartsWith(d, size, "GIF89a", 6)) {
    throw InputError(path, "unsupported image format (GIF): needlescope reads JPEG, PNG, TIFF, WebP");
  }
  throw InputError(path, "not an image: no JPEG, PNG, TIFF or WebP signature");
}

}  // namespace needlescope
