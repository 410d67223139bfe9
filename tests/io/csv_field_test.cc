#include "needlescope/io/csv_field.h"

#include <gtest/gtest.h>

namespace needlescope {
namespace {

TEST(CsvField, QuotesOnlyWhatWouldBreakACell) {
  EXPECT_EQ(CsvField("skin-treated-101"), "skin-treated-101");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("Smith, J - day 7.jpg"), "\"Smith, J - day 7.jpg\"");
  EXPECT_EQ(CsvField("the \"good\" side"), "\"the \"\"good\"\" side\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("cr\r"), "\"cr\r\"");
}

}  // namespace
}  // namespace needlescope
