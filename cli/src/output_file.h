// The one way a command writes its --output file (report, audit export):
//  - the target must be a new file, or with --force an existing regular file
//    the owner may write; a symbolic link, a directory, a device, a FIFO or a
//    socket is refused (a report is never poured into /dev/full or through a
//    link into a file elsewhere), and so is the database itself;
//  - the text goes to a temporary file beside the target, is flushed to disk
//    (fsync) and only then renamed to the target's name, so a reader never
//    sees half a file and a failure leaves the old file or none;
//  - without --force the rename refuses to replace a file that appeared in
//    the meantime (renameat2 RENAME_NOREPLACE).
// Every failure is ErrorKind::io (exit 3) or, for a target that may not be
// written at all, ErrorKind::usage (exit 2), with the path in the message;
// nothing is left behind.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "zielwerk/common/error.h"

namespace zielwerk::cli {

struct OutputTarget {
  std::filesystem::path path;
  bool force = false;               // --force: an existing regular file may be replaced
  std::filesystem::path database;   // refused as a target; empty: none
  std::string option = "--output";  // how messages name the option
};

class DescriptorBuffer;  // output_file.cpp: writes to the file, keeps errno

class OutputFile {
 public:
  // Checks the target and creates the temporary file beside it.
  static Result<OutputFile> create(const OutputTarget& target);

  OutputFile(OutputFile&& other) noexcept;
  OutputFile& operator=(OutputFile&&) = delete;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile();  // removes the temporary file unless commit() succeeded

  // Where to write the content.
  std::ostream& stream() { return *stream_; }

  // Flushes, syncs and renames the temporary file to the target.
  Status commit();

 private:
  OutputFile(OutputTarget target, std::filesystem::path temporary, int descriptor);
  void discard();

  OutputTarget target_;
  std::filesystem::path temporary_;
  std::unique_ptr<DescriptorBuffer> buffer_;  // owns the temporary file's descriptor
  std::unique_ptr<std::ostream> stream_;
  bool done_ = false;
};

// Writes `text` to the target through an OutputFile.
Status write_output_file(const OutputTarget& target, const std::string& text);

}  // namespace zielwerk::cli
