namespace NnSimd.Model;

/// <summary>What <c>Network.Predict</c> writes for each row.</summary>
public enum NetworkOutput
{
    /// <summary>The last layer's activation applied: probabilities when it is softmax.</summary>
    Probabilities,

    /// <summary>The raw scores: a final softmax is skipped (it does not change the argmax, and costs an exp per entry).</summary>
    Scores,
}
