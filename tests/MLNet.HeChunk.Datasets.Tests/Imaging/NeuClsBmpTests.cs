using MLNet.HeChunk.Datasets.Imaging;

namespace MLNet.HeChunk.Datasets.Tests.Imaging;

public sealed class NeuClsBmpTests
{
    [NeuClsFact]
    public void ReadsARealNeuClsImageRightWayUp()
    {
        string path = NeuClsLayout.GetPath(NeuClsData.RequireDirectory(), SteelDefectClass.Crazing, 1);

        GrayImage image = BmpReader.ReadFile(path);

        // Expected values read from the file with an independent script (Python, raw bytes,
        // bottom-up rows of 200 bytes after the 1078-byte header).
        Assert.Equal(200, image.Width);
        Assert.Equal(200, image.Height);
        Assert.Equal(186, image[0, 0]);
        Assert.Equal(85, image[199, 0]);
        Assert.Equal(223, image[0, 199]);
        Assert.Equal(135, image[199, 199]);
        Assert.Equal(133, image[123, 45]);
        long sum = 0;
        foreach (byte p in image.Pixels)
        {
            sum += p;
        }

        Assert.Equal(6423082, sum);
    }

    [NeuClsFact]
    public void ReEncodingNeuClsImagesReproducesTheirFiles()
    {
        // The writer emits the same header fields as the NEU-CLS files, so decode then encode is
        // the identity on them: evidence that both halves of the codec follow the same layout.
        string root = NeuClsData.RequireDirectory();
        foreach (SteelDefectClass defectClass in SteelDefectClasses.All)
        {
            foreach (int number in new[] { 1, 150, 300 })
            {
                byte[] original = File.ReadAllBytes(NeuClsLayout.GetPath(root, defectClass, number));
                Assert.Equal(original, BmpWriter.Encode(BmpReader.Decode(original)));
            }
        }
    }
}
