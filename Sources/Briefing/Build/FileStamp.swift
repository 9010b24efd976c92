internal import Foundation

/// What `stat` says of a file that changes whenever its bytes may have: device, inode, size, and
/// the modification and status-change times to the nanosecond. Equal stamps let a build trust a
/// digest it computed before instead of reading the file again (as git's index does); any change,
/// even one that leaves the bytes alone (`touch`), only costs reading the file once more.
struct FileStamp: Codable, Hashable, Sendable {
  var device: UInt64
  var inode: UInt64
  var size: Int64
  var modified: Int64
  var changed: Int64

  /// The stamp of the file at `path` (symlinks followed), or nil when there is none.
  init?(path: String) {
    var status = stat()
    guard stat(path, &status) == 0 else { return nil }
    self.init(status)
  }

  /// The stamp of the file `name` in the folder `folder` (symlinks not followed), or nil.
  init?(name: String, in folder: Int32) {
    var status = stat()
    guard fstatat(folder, name, &status, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
    self.init(status)
  }

  private init(_ status: stat) {
    device = UInt64(status.st_dev)
    inode = UInt64(status.st_ino)
    size = Int64(status.st_size)
    modified = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
    changed = Int64(status.st_ctim.tv_sec) * 1_000_000_000 + Int64(status.st_ctim.tv_nsec)
  }
}
