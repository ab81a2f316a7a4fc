using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace PostalPeak.Ingestion;

/// <summary>What a name in a folder is, seen without following it.</summary>
public enum EntryKind
{
    Missing,
    File,
    Directory,
    Link,
    /// <summary>A FIFO, socket or device: never a report, and opening one could block or read for ever.</summary>
    Special,
}

public sealed record EntryInfo(EntryKind Kind, long Size, DateTimeOffset ModifiedAt, long Links);

/// <summary>
/// A folder of the drop-folder inbox, held open by handle. The inbox is written by carriers (a share, an SFTP
/// account), so nothing in it is trusted: every step is taken relative to a folder handle with the *at system
/// calls and O_NOFOLLOW, so a symbolic link (to /etc/shadow, to another carrier's folder, in place of
/// processed/) is seen as a link and never followed, and a name swapped between a check and a use cannot send
/// a read or a write elsewhere. Files are opened non-blocking and checked on the open handle: a FIFO never
/// stalls a worker. Linux only (x64 and arm64), like the rest of the product's process handling.
/// </summary>
public sealed class InboxDirectory : IDisposable
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int ReadOnly = 0, WriteOnly = 1, Create = 0x40, Exclusive = 0x80, Truncate = 0x200, NonBlocking = 0x800, CloseOnExec = 0x80000;
    private const int RenameNoReplace = 1;
    private const uint TypeMask = 0xF000, TypeFile = 0x8000, TypeDirectory = 0x4000, TypeLink = 0xA000;
    private const int NoEntry = 2, Exists = 17, Loop = 40;

    private static readonly bool Arm = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;
    private static readonly int DirectoryOnly = Arm ? 0x4000 : 0x10000;
    private static readonly int NoFollow = Arm ? 0x8000 : 0x20000;

    private readonly SafeFileHandle _handle;

    private InboxDirectory(SafeFileHandle handle, string path)
    {
        _handle = handle;
        Path = path;
    }

    /// <summary>Where the folder is, for messages; never used to reach it.</summary>
    public string Path { get; }

    public static bool Supported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>The inbox itself: the operator configured its path, so a link there is followed.</summary>
    public static InboxDirectory? OpenRoot(string path)
    {
        var fd = openat(AtFdCwd, Utf8(path), ReadOnly | DirectoryOnly | CloseOnExec, 0);
        return fd < 0 ? null : new InboxDirectory(new SafeFileHandle(fd, ownsHandle: true), path);
    }

    /// <summary>The names in the folder (not "." and ".."), read through the handle.</summary>
    public IReadOnlyList<string> Names() =>
        Directory.EnumerateFileSystemEntries($"/proc/self/fd/{_handle.DangerousGetHandle()}")
            .Select(System.IO.Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();

    public EntryInfo Stat(string name)
    {
        var buffer = new byte[256];
        if (fstatat(Fd, Utf8(name), buffer, AtSymlinkNoFollow) != 0)
            return new EntryInfo(EntryKind.Missing, 0, default, 0);
        return Describe(buffer);
    }

    /// <summary>A sub-folder that is a real folder, created when missing; null when the name is a link, a file or anything else.</summary>
    public InboxDirectory? OpenFolder(string name, bool create)
    {
        var fd = openat(Fd, Utf8(name), ReadOnly | DirectoryOnly | NoFollow | CloseOnExec, 0);
        if (fd < 0 && Marshal.GetLastPInvokeError() == NoEntry && create)
        {
            if (mkdirat(Fd, Utf8(name), Convert.ToUInt32("750", 8)) != 0 && Marshal.GetLastPInvokeError() != Exists)
                return null;
            fd = openat(Fd, Utf8(name), ReadOnly | DirectoryOnly | NoFollow | CloseOnExec, 0);
        }
        return fd < 0 ? null : new InboxDirectory(new SafeFileHandle(fd, ownsHandle: true), System.IO.Path.Combine(Path, name));
    }

    /// <summary>
    /// Opens a name for reading when it is a regular file with no other name (a hard link could bring in a file from
    /// anywhere on the disk); otherwise null with the reason. Checked on the open handle, not on the name.
    /// </summary>
    public FileStream? OpenReport(string name, out EntryInfo info, out string? refusal)
    {
        info = new EntryInfo(EntryKind.Missing, 0, default, 0);
        var fd = openat(Fd, Utf8(name), ReadOnly | NoFollow | NonBlocking | CloseOnExec, 0);
        if (fd < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            refusal = error == Loop ? "link" : error == NoEntry ? "missing" : "unreadable";
            return null;
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var buffer = new byte[256];
        if (fstat(fd, buffer) != 0)
        {
            handle.Dispose();
            refusal = "unreadable";
            return null;
        }
        info = Describe(buffer);
        refusal = info switch
        {
            { Kind: EntryKind.File, Links: > 1 } => "hard_link",
            { Kind: EntryKind.File } => null,
            { Kind: EntryKind.Directory } => "directory",
            _ => "special",
        };
        if (refusal is not null)
        {
            handle.Dispose();
            return null;
        }
        return new FileStream(handle, FileAccess.Read, 81920);
    }

    /// <summary>Moves a name into another folder of the inbox, never over an existing name; false when either is gone or taken.</summary>
    public bool MoveTo(string name, InboxDirectory target, string newName, out bool taken)
    {
        var done = renameat2(Fd, Utf8(name), target.Fd, Utf8(newName), RenameNoReplace) == 0;
        taken = !done && Marshal.GetLastPInvokeError() == Exists;
        return done;
    }

    /// <summary>Writes a small text file in this folder; never through a link, and over an old one only when <paramref name="replace"/>.</summary>
    public bool WriteText(string name, string text, bool replace)
    {
        var fd = openat(Fd, Utf8(name), WriteOnly | Create | NoFollow | CloseOnExec | (replace ? Truncate : Exclusive), Convert.ToUInt32("640", 8));
        if (fd < 0)
            return false;
        using var stream = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write);
        // A FIFO or device put in the note's place must not take the text: only a regular file is written.
        var buffer = new byte[256];
        if (fstat(fd, buffer) != 0 || Describe(buffer).Kind != EntryKind.File)
            return false;
        stream.Write(new UTF8Encoding(false).GetBytes(text));
        return true;
    }

    public void Dispose() => _handle.Dispose();

    private int Fd => (int)_handle.DangerousGetHandle();

    private static EntryInfo Describe(byte[] stat)
    {
        // struct stat of Linux: the fields move between x64 and arm64.
        var mode = BitConverter.ToUInt32(stat, Arm ? 16 : 24);
        var links = Arm ? BitConverter.ToUInt32(stat, 20) : (long)BitConverter.ToUInt64(stat, 16);
        var size = BitConverter.ToInt64(stat, 48);
        var modified = DateTimeOffset.FromUnixTimeSeconds(BitConverter.ToInt64(stat, 88));
        var kind = (mode & TypeMask) switch
        {
            TypeFile => EntryKind.File,
            TypeDirectory => EntryKind.Directory,
            TypeLink => EntryKind.Link,
            _ => EntryKind.Special,
        };
        return new EntryInfo(kind, size, modified, links);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text + "\0");

    // Paths go as NUL-terminated UTF-8 bytes: no string marshalling, and a name is passed on exactly as the folder holds it.
    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int openat(int directory, byte[] path, int flags, uint mode);

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int fstatat(int directory, byte[] path, byte[] stat, int flags);

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int fstat(int fd, byte[] stat);

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int mkdirat(int directory, byte[] path, uint mode);

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int renameat2(int fromDirectory, byte[] from, int toDirectory, byte[] to, uint flags);
}
