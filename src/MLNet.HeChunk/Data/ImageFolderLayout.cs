namespace MLNet.HeChunk.Data;

/// <summary>How an image folder encodes the class of each image.</summary>
public enum ImageFolderLayout
{
    /// <summary>One subfolder per class, named after the class, holding that class's images (any file names).</summary>
    ClassSubfolders = 0,

    /// <summary>All images in the folder itself, named <c>&lt;Class&gt;_&lt;n&gt;.&lt;ext&gt;</c>: the class is the part before the last '_'.</summary>
    FlatPrefixed = 1,
}
