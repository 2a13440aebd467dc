namespace MLNet.HeChunk.IO;

/// <summary>
/// Writes files so that a failure never leaves a half-written or truncated file behind: the content goes to a
/// temporary file in the destination's folder, which is renamed over the destination only once it is complete.
/// Files that hold secrets are created owner-only (0600 on Unix) from the first byte.
/// </summary>
public static class SafeFile
{
    /// <summary>Writes <paramref name="path"/> through a temporary file and a rename.</summary>
    /// <param name="path">The destination.</param>
    /// <param name="write">Writes the whole content into the stream it is given.</param>
    /// <param name="overwrite">Whether an existing destination may be replaced.</param>
    /// <param name="ownerOnly">Create the file readable and writable by its owner only (0600 on Unix).</param>
    /// <exception cref="IOException">The destination exists and <paramref name="overwrite"/> is false (the message names it), or the write failed.</exception>
    public static void Write(string path, Action<Stream> write, bool overwrite = true, bool ownerOnly = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        if (!overwrite && File.Exists(full))
        {
            throw new IOException($"'{path}' already exists; refusing to overwrite it (pass the explicit overwrite/--force option to replace it)");
        }

        string folder = Path.GetDirectoryName(full) ?? ".";
        string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (ownerOnly && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            if (overwrite)
            {
                File.Move(temporary, full, overwrite: true);
            }
            else
            {
                // Without overwrite a concurrent creator of the destination wins and this write fails.
                File.Move(temporary, full, overwrite: false);
            }
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> through a temporary file and a rename.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, bool overwrite = true, bool ownerOnly = false)
    {
        byte[] copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy), overwrite, ownerOnly);
    }

    /// <summary>
    /// Reads a whole stream into memory, refusing more than <paramref name="maxBytes"/> (the caller's bound on a
    /// sane file of its kind), so a reader never allocates more than it was given.
    /// </summary>
    /// <exception cref="InvalidDataException">The stream holds more than <paramref name="maxBytes"/> bytes.</exception>
    public static byte[] ReadAll(Stream stream, long maxBytes, string what)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.CanSeek)
        {
            long remaining = stream.Length - stream.Position;
            if (remaining > maxBytes)
            {
                throw new InvalidDataException($"{what}: {remaining} bytes exceed the {maxBytes}-byte limit for this kind of file");
            }

            var exact = new byte[remaining];
            stream.ReadExactly(exact);
            return exact;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new InvalidDataException($"{what}: more than the {maxBytes}-byte limit for this kind of file");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
