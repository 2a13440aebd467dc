using MLNet.HeChunk.Client;
using MLNet.HeChunk.Data;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Transforms;

namespace MLNet.HeChunk.Server.Tests;

/// <summary>
/// The round trip an ML.NET user runs: PrepareChunks -> EncryptChunks -> ScoreRemotely -> DecryptScores against a live
/// server, compared with the library's local encrypted scorer on the very same ciphertexts.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class RemoteScoringTests(ServiceFixture fixture)
{
    [SkippableFact]
    public void SixtyNeuClsTestImagesScoredRemotelyGiveExactlyTheLocalEncryptedScorersPredictions()
    {
        string folder = NeuClsLocator.Require();
        var ml = new MLContext(seed: 1);
        var test = NeuClsSplit.Split(ImageFolderDataset.Scan(folder)).Test;
        var subset = test.GroupBy(s => s.Label).SelectMany(g => g.Take(10)).ToList();
        Assert.Equal(60, subset.Count);
        IDataView images = ml.Data.LoadFromEnumerable(subset);

        // Client: prepare and encrypt once; materialize so both scorers see the same ciphertexts.
        var client = ml.Transforms.PrepareChunks(nameof(ImageFolderSample.ImagePath))
            .Append(ml.Transforms.EncryptChunks("EncryptedChunks", fixture.Keys, "Chunks", new ChunkEncryptionOptions { DegreeOfParallelism = 2 }));
        IDataView encrypted = ml.Data.Cache(ml.Transforms.SelectColumns("Label", "EncryptedChunks")
            .Fit(client.Fit(images).Transform(images)).Transform(client.Fit(images).Transform(images)));

        var remote = ml.Transforms.ScoreRemotely(new RemoteScoringOptions
        {
            Endpoint = fixture.Server.Endpoint,
            Credential = TestServer.AliceKey,
            ModelName = "chunk-cnn",
            Keys = fixture.Keys,
            MaxConcurrentCalls = 2,
            ImagesPerCall = 6,
        });
        using RemoteScoringTransformer fitted = remote.Fit(encrypted);
        IDataView remoteScores = fitted.Transform(encrypted);

        IDataView localScores = ml.Data.Cache(ml.Transforms.ScoreEncryptedChunkCnn(fixture.Weights, fixture.Keys.PublicOnly(), degreeOfParallelism: 2)
            .Fit(encrypted).Transform(encrypted));

        var decrypt = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.Transforms.DecryptScores(fixture.Keys, TestModels.ClassNames));
        uint[] remotePredictions = decrypt.Fit(remoteScores).Transform(remoteScores).GetColumn<uint>("PredictedLabel").ToArray();
        uint[] localPredictions = decrypt.Fit(localScores).Transform(localScores).GetColumn<uint>("PredictedLabel").ToArray();
        Assert.Equal(60, remotePredictions.Length);
        Assert.Equal(localPredictions, remotePredictions);

        // The same logits (exactly, but for images without a feature chunk, whose answer is a fresh public-key encryption).
        var decryptor = new ScoreDecryptor(fixture.Keys);
        var remoteBytes = remoteScores.GetColumn<VBuffer<byte>>("EncryptedScores").Select(v => v.DenseValues().ToArray()).ToList();
        var localBytes = localScores.GetColumn<VBuffer<byte>>("EncryptedScores").Select(v => v.DenseValues().ToArray()).ToList();
        for (int row = 0; row < 60; row++)
        {
            double[] r = decryptor.DecryptLogits(EncryptedScores.FromBytes(remoteBytes[row], fixture.Keys));
            double[] l = decryptor.DecryptLogits(EncryptedScores.FromBytes(localBytes[row], fixture.Keys));
            for (int k = 0; k < r.Length; k++)
            {
                Assert.True(Math.Abs(r[k] - l[k]) < 1e-3, $"row {row} class {k}: remote {r[k]}, local {l[k]}");
            }
        }
    }
}
