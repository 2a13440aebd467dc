using Microsoft.ML;
using MLNet.HeChunk.Client;
using MLNet.HeChunk.Encryption;

namespace MLNet.HeChunk.Cli.Service;

/// <summary><c>hechunk score --server</c>: the upload scored by a running service through <c>ScoreRemotely</c>.</summary>
internal static class RemoteScoring
{
    /// <summary>
    /// The upload with its EncryptedScores column computed remotely. Fitting registers the public keys; scoring runs when
    /// the result is read (the connection lives as long as the process: the verb ends right after writing).
    /// </summary>
    public static IDataView Score(MLContext ml, IDataView upload, string server, string apiKey, string modelName, HeChunkKeys publicKeys)
    {
        if (!Uri.TryCreate(server, UriKind.Absolute, out Uri? endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            throw new CliException($"--server '{server}' is not an http:// or https:// address");
        }

        try
        {
            return ml.Transforms.ScoreRemotely(new RemoteScoringOptions
            {
                Endpoint = endpoint,
                Credential = apiKey,
                ModelName = modelName,
                Keys = publicKeys,
            }).Fit(upload).Transform(upload);
        }
        catch (InvalidOperationException e)
        {
            throw new CliException(e.Message);
        }
    }
}
