using Grpc.Core;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Server.Models;

namespace MLNet.HeChunk.Server.KeySets;

/// <summary>
/// Checks an uploaded key set before it is stored: it must parse completely (no truncation, no trailing bytes, every
/// digest and field valid), use 128-bit secure parameters, use exactly the model's parameters, and cover every rotation
/// the model performs. Each refusal is an <see cref="RpcException"/> whose message names the problem.
/// </summary>
internal static class KeySetValidator
{
    public static HeChunkKeys Validate(byte[] bytes, ServedModel model)
    {
        HeChunkKeys keys;
        using (var stream = new MemoryStream(bytes, writable: false))
        {
            try
            {
                keys = HeChunkKeys.LoadPublic(stream);
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or ArgumentException or Ckks.CkksParameterException)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"the key set is corrupt or truncated: {e.Message}"));
            }

            if (stream.Position != stream.Length)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument,
                    $"the key set has {stream.Length - stream.Position} bytes after its end (send exactly HeChunkKeys.SavePublic's bytes)"));
            }
        }

        if (!keys.Parameters.IsSecure)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"the key set's CKKS parameters ({keys.Parameters}) are below 128-bit security; this server refuses them"));
        }

        if (keys.Parameters.Fingerprint != model.Parameters.Fingerprint)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"the key set uses CKKS parameters {keys.Parameters} (fingerprint {keys.Parameters.Fingerprint:x16}); model '{model.Name}' needs " +
                $"{model.Parameters} (fingerprint {model.Parameters.Fingerprint:x16}, sent by GetModel)"));
        }

        int[] missing = model.RotationSteps.Where(step => !keys.GaloisKeys.ContainsRotation(step)).ToArray();
        if (missing.Length > 0)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"the key set lacks Galois keys for rotation step(s) {string.Join(", ", missing)} that model '{model.Name}' performs (GetModel lists them)"));
        }

        // Keys may be made for the level they are used at (HeChunkKeys.GenerateForChunkCnn): a key below it, a missing
        // conjugation key or a relinearization key for too low a level would only fail at the first image.
        string[] tooLow = [.. model.KeyRequests.Where(request => !keys.GaloisKeys.Covers(request))
            .Select(request => request.IsConjugation ? $"conjugation (level {request.MaxLevel})" : $"rotation {request.Step} (level {request.MaxLevel})")];
        if (tooLow.Length > 0 || keys.RelinearizationKey.MaxLevel < model.RelinearizationLevel)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"the key set's evaluation keys do not reach the levels model '{model.Name}' uses them at: " +
                string.Join(", ", tooLow.Append(keys.RelinearizationKey.MaxLevel < model.RelinearizationLevel ? $"relinearization (level {model.RelinearizationLevel})" : null).OfType<string>()) +
                "; generate the keys with HeChunkKeys.GenerateForChunkCnn"));
        }

        return keys;
    }
}
