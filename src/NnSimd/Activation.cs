namespace NnSimd;

/// <summary>The activation a dense layer applies after its affine map.</summary>
public enum Activation
{
    /// <summary>y = x.</summary>
    Identity,
    /// <summary>y = 1 where x &gt; 0, else 0 (NaN stays NaN).</summary>
    Step,
    /// <summary>y = 1 / (1 + exp(-x)).</summary>
    Sigmoid,
    /// <summary>y = max(x, 0) (NaN stays NaN).</summary>
    Relu,
    /// <summary>y = tanh(x).</summary>
    Tanh,
    /// <summary>Row-wise softmax; only valid on a network's last layer.</summary>
    Softmax,
}
