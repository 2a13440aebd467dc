namespace MLNet.HeChunk.Datasets.Tests.Baselines;

/// <summary>A trained classifier over fixed-length feature vectors; predicts a label index.</summary>
internal interface IBaselineClassifier
{
    int Predict(double[] feature);
}
