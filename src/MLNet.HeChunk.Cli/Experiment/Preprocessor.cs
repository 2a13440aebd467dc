using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.HeChunk.Data;

namespace MLNet.HeChunk.Cli.Experiment;

/// <summary>Runs the fitted client pipeline over image samples and keeps each row's columns in memory.</summary>
internal static class Preprocessor
{
    /// <summary>Transforms <paramref name="samples"/> row by row, calling <paramref name="onImage"/> after each.</summary>
    /// <exception cref="CliException">An image cannot be decoded (the message names the file).</exception>
    public static List<PreparedImage> Run(MLContext ml, ITransformer clientModel, IReadOnlyList<ImageFolderSample> samples,
        IReadOnlyList<string> classNames, Action? onImage = null)
    {
        var result = new List<PreparedImage>(samples.Count);
        var classIndex = classNames.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);

        // One row at a time, so a file that does not decode is named exactly.
        foreach (ImageFolderSample sample in samples)
        {
            IDataView output;
            try
            {
                output = clientModel.Transform(ml.Data.LoadFromEnumerable(new[] { sample }));
                using DataViewRowCursor cursor = output.GetRowCursor(output.Schema);
                var pixels = cursor.GetGetter<VBuffer<float>>(output.Schema["Pixels"]);
                var chunks = cursor.GetGetter<VBuffer<float>>(output.Schema["Chunks"]);
                var index = cursor.GetGetter<VBuffer<int>>(output.Schema["ChunkIndex"]);
                var scores = cursor.GetGetter<VBuffer<float>>(output.Schema["ChunkScores"]);
                var descriptors = cursor.GetGetter<VBuffer<float>>(output.Schema["Descriptors"]);
                VBuffer<float> p = default, c = default, s = default, d = default;
                VBuffer<int> x = default;
                if (!cursor.MoveNext())
                {
                    throw new InvalidDataException("the pipeline produced no row");
                }

                pixels(ref p);
                chunks(ref c);
                index(ref x);
                scores(ref s);
                descriptors(ref d);
                result.Add(new PreparedImage(sample.ImagePath, sample.Label, classIndex[sample.Label],
                    p.DenseValues().ToArray(), c.DenseValues().ToArray(), x.DenseValues().ToArray(), s.DenseValues().ToArray(), d.DenseValues().ToArray()));
            }
            catch (Exception e) when (e is not CliException)
            {
                throw new CliException($"image '{sample.ImagePath}' cannot be read or preprocessed", e);
            }

            onImage?.Invoke();
        }

        return result;
    }
}
