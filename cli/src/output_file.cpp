#include "output_file.h"

#include <fcntl.h>
#include <stdio.h>  // renameat2 (glibc 2.28+)
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

#include "zielwerk/common/utf8.h"

namespace zielwerk::cli {
namespace {

std::string reason(int error) {
  return std::strerror(error);
}

std::string named(const OutputTarget& target) {
  return target.option + ": " + quote(target.path.string(), 200);
}

// Whether the target may be written; the message when not.
Status check_target(const OutputTarget& target) {
  struct stat status {};
  if (::lstat(target.path.c_str(), &status) != 0) {
    if (errno != ENOENT) return Error::io(named(target) + ": " + reason(errno));
    const std::filesystem::path parent =
        target.path.has_parent_path() ? target.path.parent_path() : std::filesystem::path(".");
    std::error_code ec;
    if (!std::filesystem::is_directory(parent, ec)) {
      return Error::io(named(target) + ": the directory " + quote(parent.string(), 200) +
                       " does not exist");
    }
    return Ok{};
  }
  if (S_ISLNK(status.st_mode)) {
    return Error::usage(named(target) +
                        " is a symbolic link; zielwerk does not write through links (name the "
                        "file itself or a new one)");
  }
  if (S_ISDIR(status.st_mode)) return Error::usage(named(target) + " is a directory");
  if (!S_ISREG(status.st_mode)) {
    return Error::usage(named(target) +
                        " is not a regular file (a device, a FIFO or a socket); to print to "
                        "stdout, leave out " +
                        target.option);
  }
  std::error_code ec;
  if (!target.database.empty() && std::filesystem::equivalent(target.path, target.database, ec)) {
    return Error::usage(named(target) + " is the database; write elsewhere");
  }
  if (!target.force) {
    return Error::usage(named(target) + " exists already; add --force to replace it");
  }
  if ((status.st_mode & S_IWUSR) == 0) {
    return Error::usage(named(target) +
                        " is read-only; zielwerk does not replace it, not even with --force");
  }
  return Ok{};
}

}  // namespace

// A stream buffer over a file descriptor that keeps the errno of the first
// failed write, so "No space left on device" reaches the message even when
// the write failed long before commit() (std::ofstream forgets why).
class DescriptorBuffer : public std::streambuf {
 public:
  explicit DescriptorBuffer(int descriptor) : descriptor_(descriptor) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }
  DescriptorBuffer(const DescriptorBuffer&) = delete;
  DescriptorBuffer& operator=(const DescriptorBuffer&) = delete;
  ~DescriptorBuffer() override { close(); }

  // Writes what is buffered and closes; 0, or the errno of the first failure.
  int close() {
    if (descriptor_ < 0) return failure_;
    flush_buffer();
    if (::close(descriptor_) != 0 && failure_ == 0) failure_ = errno;
    descriptor_ = -1;
    return failure_;
  }

 protected:
  int_type overflow(int_type c) override {
    if (!flush_buffer()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return flush_buffer() ? 0 : -1; }

 private:
  bool flush_buffer() {
    const char* next = pbase();
    while (failure_ == 0 && next < pptr()) {
      const ssize_t written = ::write(descriptor_, next, static_cast<std::size_t>(pptr() - next));
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) {
        failure_ = written < 0 ? errno : EIO;
        break;
      }
      next += written;
    }
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return failure_ == 0;
  }

  int descriptor_;
  int failure_ = 0;
  std::array<char, 64 * 1024> buffer_{};
};

OutputFile::OutputFile(OutputTarget target, std::filesystem::path temporary, int descriptor)
    : target_(std::move(target)),
      temporary_(std::move(temporary)),
      buffer_(std::make_unique<DescriptorBuffer>(descriptor)),
      stream_(std::make_unique<std::ostream>(buffer_.get())) {}

OutputFile::OutputFile(OutputFile&& other) noexcept
    : target_(std::move(other.target_)),
      temporary_(std::move(other.temporary_)),
      buffer_(std::move(other.buffer_)),
      stream_(std::move(other.stream_)),
      done_(other.done_) {
  other.done_ = true;  // the moved-from object owns no file
}

OutputFile::~OutputFile() {
  discard();
}

void OutputFile::discard() {
  if (done_) return;
  done_ = true;
  if (buffer_) buffer_->close();
  std::error_code ignored;
  std::filesystem::remove(temporary_, ignored);
}

Result<OutputFile> OutputFile::create(const OutputTarget& target) {
  if (target.path.empty() || !target.path.has_filename()) {
    return Error::usage(target.option + ": a file name is needed");
  }
  if (const Status allowed = check_target(target); !allowed) return allowed.error();
  // A name of its own beside the target, so the rename stays in one file
  // system and two commands writing at once do not share a temporary file.
  std::string pattern =
      (target.path.parent_path() / ("." + target.path.filename().string() + ".zielwerk-XXXXXX"))
          .string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) {
    return Error::io(named(target) + ": cannot create a file beside it: " + reason(errno));
  }
  // mkstemp makes the file private (0600); a document is as readable as any
  // file the user creates (0666 less the umask).
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, static_cast<mode_t>(0666 & ~mask));
  return OutputFile(target, pattern, fd);
}

Status OutputFile::commit() {
  const auto fail = [&](const std::string& what, int error) -> Status {
    discard();
    return Error::io(named(target_) + ": " + what + (error != 0 ? ": " + reason(error) : "") +
                     "; nothing was written");
  };
  // The buffer kept the reason of the first failed write (lack of space);
  // close() writes what is still buffered and fails the same way.
  if (const int failure = buffer_->close(); failure != 0 || !*stream_) {
    return fail("writing failed", failure);
  }
  // The content is on the disk before the name points at it.
  const int fd = ::open(temporary_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail("cannot reopen the written file", errno);
  const int synced = ::fsync(fd);
  const int sync_error = errno;
  ::close(fd);
  if (synced != 0) return fail("writing to the disk failed", sync_error);
  // Checked again: the target may have changed since create().
  if (const Status allowed = check_target(target_); !allowed) {
    discard();
    return allowed.error();
  }
  int renamed = 0;
  if (target_.force) {
    renamed = ::rename(temporary_.c_str(), target_.path.c_str());
  } else {
    renamed =
        ::renameat2(AT_FDCWD, temporary_.c_str(), AT_FDCWD, target_.path.c_str(), RENAME_NOREPLACE);
    if (renamed != 0 && errno == EINVAL) {
      // A file system without RENAME_NOREPLACE: link() refuses an existing name too.
      renamed = ::link(temporary_.c_str(), target_.path.c_str());
      if (renamed == 0) ::unlink(temporary_.c_str());
    }
  }
  if (renamed != 0) {
    const int error = errno;
    if (error == EEXIST) {
      discard();
      return Error::usage(named(target_) +
                          " was created by someone else meanwhile; add --force to replace it");
    }
    return fail("cannot put the file in place", error);
  }
  done_ = true;
  // The new name is on the disk too.
  const std::filesystem::path parent =
      target_.path.has_parent_path() ? target_.path.parent_path() : std::filesystem::path(".");
  if (const int directory = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      directory >= 0) {
    ::fsync(directory);
    ::close(directory);
  }
  return Ok{};
}

Status write_output_file(const OutputTarget& target, const std::string& text) {
  auto file = OutputFile::create(target);
  if (!file) return file.error();
  file.value().stream() << text;
  return file.value().commit();
}

}  // namespace zielwerk::cli
