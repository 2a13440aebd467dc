// libtorch's random generator is process-wide: a test drawing from it (TorchSharpLoadTests) while
// another trains would change that training's weights, and the determinism test would fail for
// a reason that has nothing to do with the trainer. The whole suite takes seconds sequentially.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
