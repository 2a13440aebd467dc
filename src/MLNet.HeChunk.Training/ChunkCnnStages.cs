using static TorchSharp.torch;

namespace MLNet.HeChunk.Training;

/// <summary>The intermediates of one <see cref="ChunkCnn"/> forward pass.</summary>
internal sealed record ChunkCnnStages(
    Tensor Input, Tensor ConvOutput, Tensor ConvSquared, Tensor Fc1Output, Tensor Fc1Squared, Tensor PooledHidden, Tensor Logits, Tensor? HeadHidden);
