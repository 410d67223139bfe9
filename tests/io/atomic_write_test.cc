#include "needlescope/io/atomic_write.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "needlescope/io/input_error.h"
#include "testing/run_binary.h"
#include "testing/temp_dir.h"

namespace needlescope {
namespace {

TEST(AtomicWrite, ReplacesWholeFileAndLeavesNoTemporary) {
  testing::TempDir dir;
  const std::string path = dir.File("out.json");
  WriteFileAtomically(path, "first version, longer than the second\n");
  WriteFileAtomically(path, "second\n");
  EXPECT_EQ(testing::ReadTextFile(path), "second\n");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()),
                          std::filesystem::directory_iterator()),
            1);
}

TEST(AtomicWrite, FailsWithPathWhenDirectoryIsMissing) {
  testing::TempDir dir;
  const std::string path = dir.File("missing/out.json");
  try {
    WriteFileAtomically(path, "x");
    FAIL() << "write into a missing directory succeeded";
  } catch (const InputError& e) {
    EXPECT_EQ(e.path(), path);
    EXPECT_NE(e.reason().find("cannot write output"), std::string::npos);
  }
}

}  // namespace
}  // namespace needlescope
