// Microsoft.Extensions.AI marks this interface experimental (MEAI001); so is the adapter, with the same id.
#pragma warning disable MEAI001
using System;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace HuggingFace.Inference.AI;

/// <summary>
/// <see cref="IImageGenerator"/> (Microsoft.Extensions.AI, experimental there: MEAI001) over text-to-image, and
/// image-to-image when the request carries an original image. <see cref="ImageGenerationOptions.ImageSize"/>
/// becomes the width and height; <see cref="ImageGenerationOptions.Count"/> images are generated one request
/// each. The <see cref="InferenceClient"/> is not owned.
/// </summary>
[Experimental("MEAI001", UrlFormat = "https://aka.ms/dotnet-extensions-warnings/{0}")]
public sealed class HuggingFaceImageGenerator : IImageGenerator
{
    private readonly InferenceClient _client;
    private readonly string? _model;

    /// <summary>An image generator over <paramref name="client"/>, with <paramref name="model"/> unless <see cref="ImageGenerationOptions.ModelId"/> says otherwise.</summary>
    public HuggingFaceImageGenerator(InferenceClient client, string? model = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _model = model;
        Metadata = new ImageGeneratorMetadata("huggingface", client.Options.RouterUrl, model ?? client.Options.Model);
    }

    /// <summary>The provider ("huggingface"), its URL, and the default model.</summary>
    public ImageGeneratorMetadata Metadata { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The request has no prompt, or an original image that is not data.</exception>
    public async Task<ImageGenerationResponse> GenerateAsync(ImageGenerationRequest request, ImageGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var model = options?.ModelId ?? _model;
        var count = options?.Count ?? 1;
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1, nameof(options) + "." + nameof(ImageGenerationOptions.Count));
        var original = request.OriginalImages?.FirstOrDefault();
        if (original != null && original is not DataContent)
        {
            throw new ArgumentException("An original image must be a DataContent (bytes and media type).", nameof(request));
        }

        if (original == null && string.IsNullOrWhiteSpace(request.Prompt))
        {
            throw new ArgumentException("A text-to-image request needs a prompt.", nameof(request));
        }

        var response = new ImageGenerationResponse();
        for (var i = 0; i < count; i++)
        {
            InferenceBinaryOutput image;
            if (original is DataContent data)
            {
                var parameters = new ImageToImageParameters
                {
                    Prompt = request.Prompt,
                    TargetSize = options?.ImageSize is { } size ? new ImageToImageParametersTargetSize { Width = size.Width, Height = size.Height } : null,
                };
                image = await _client.ImageToImageAsync(InferenceInput.FromBytes(data.Data, data.MediaType), parameters, model, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var parameters = options?.ImageSize is { } size ? new TextToImageParameters { Width = size.Width, Height = size.Height } : null;
                image = await _client.TextToImageAsync(request.Prompt!, parameters, model, cancellationToken).ConfigureAwait(false);
            }

            response.Contents.Add(new DataContent(image.Bytes, image.ContentType ?? "image/png") { RawRepresentation = image });
        }

        return response;
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        AdapterServices.Get(serviceType, serviceKey, Metadata, _client, this);

    /// <summary>Nothing to release: the <see cref="InferenceClient"/> belongs to the caller.</summary>
    public void Dispose()
    {
    }
}
