using System;

namespace HuggingFace.Inference.Vision;

// Hand-written part of the generated record: the spec types the mask as a base64 string.
public sealed partial record ImageSegmentationOutputElement
{
    /// <summary>The mask decoded: a black-and-white PNG image.</summary>
    /// <exception cref="FormatException">The mask is not valid base64.</exception>
    public InferenceBinaryOutput DecodeMask() => new(Convert.FromBase64String(Mask), "image/png");
}
