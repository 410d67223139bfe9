#include "needlescope/io/atomic_write.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

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

// Only a dead writer's temporaries go: this process's own stays, and so do names that only
// look alike (no pid, a pid with letters) and a dead process's temporary of a file we never write.
TEST(AtomicWrite, RemovesOnlyTheTemporariesOfWritersThatAreGone) {
  testing::TempDir dir;
  const auto write = [&](const std::string& path, const std::string& text) { std::ofstream(path) << text; };
  const std::vector<std::string> kept = {"a.json.tmp-" + std::to_string(::getpid()), "notes.tmp-", "x.tmp-12ab", "a.json",
                                         "thesis.docx.tmp-999999999"};  // not a kind of file we write
  for (const std::string& name : kept) write(dir.File(name), "x");
  write(dir.File("b.json.tmp-999999999"), "{");  // above any Linux pid_max
  EXPECT_EQ(RemoveStaleTemporaries(dir.path()), 1);
  EXPECT_FALSE(std::filesystem::exists(dir.File("b.json.tmp-999999999")));
  for (const std::string& name : kept) EXPECT_TRUE(std::filesystem::exists(dir.File(name))) << name;
  EXPECT_EQ(RemoveStaleTemporaries(dir.File("no-such-folder")), 0);
}

}  // namespace
}  // namespace needlescope
