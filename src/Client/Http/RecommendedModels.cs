using System;
using System.Collections.Generic;
using System.Linq;

namespace HuggingFace.Inference.Http;

/// <summary>
/// The model a task uses when the caller names none. The Python client asks the Hub for these at
/// run time; a built-in table keeps the client offline-friendly and predictable.
/// </summary>
internal static class RecommendedModels
{
    private static readonly Dictionary<string, string> ByTask = new(StringComparer.Ordinal)
    {
        ["audio-classification"] = "superb/hubert-large-superb-er",
        ["audio-to-audio"] = "speechbrain/sepformer-wham",
        ["automatic-speech-recognition"] = "openai/whisper-large-v3",
        ["chat-completion"] = "meta-llama/Llama-3.1-8B-Instruct",
        ["document-question-answering"] = "impira/layoutlm-document-qa",
        ["feature-extraction"] = "sentence-transformers/all-MiniLM-L6-v2",
        ["fill-mask"] = "google-bert/bert-base-uncased",
        ["image-classification"] = "google/vit-base-patch16-224",
        ["image-segmentation"] = "nvidia/segformer-b0-finetuned-ade-512-512",
        ["image-text-to-image"] = "black-forest-labs/FLUX.2-dev",
        ["image-text-to-video"] = "Lightricks/LTX-Video",
        ["image-to-image"] = "timbrooks/instruct-pix2pix",
        ["image-to-text"] = "Salesforce/blip-image-captioning-large",
        ["image-to-video"] = "Wan-AI/Wan2.2-I2V-A14B",
        ["object-detection"] = "facebook/detr-resnet-50",
        ["question-answering"] = "deepset/roberta-base-squad2",
        ["sentence-similarity"] = "sentence-transformers/all-MiniLM-L6-v2",
        ["summarization"] = "facebook/bart-large-cnn",
        ["table-question-answering"] = "google/tapas-base-finetuned-wtq",
        ["tabular-classification"] = "julien-c/wine-quality",
        ["tabular-regression"] = "scikit-learn/Fish-Weight",
        ["text-classification"] = "distilbert/distilbert-base-uncased-finetuned-sst-2-english",
        ["text-generation"] = "meta-llama/Llama-3.1-8B-Instruct",
        ["text-to-audio"] = "facebook/musicgen-small",
        ["text-to-image"] = "stabilityai/stable-diffusion-xl-base-1.0",
        ["text-to-speech"] = "espnet/kan-bayashi_ljspeech_vits",
        ["text-to-video"] = "Wan-AI/Wan2.2-TI2V-5B",
        ["token-classification"] = "dbmdz/bert-large-cased-finetuned-conll03-english",
        ["translation"] = "google-t5/t5-base",
        ["visual-question-answering"] = "dandelin/vilt-b32-finetuned-vqa",
        ["zero-shot-classification"] = "facebook/bart-large-mnli",
        ["zero-shot-image-classification"] = "openai/clip-vit-large-patch14-336",
    };

    public static IReadOnlyCollection<string> Tasks => ByTask.Keys;

    /// <exception cref="ArgumentException">No model is recommended for <paramref name="task"/>.</exception>
    public static string For(string task) =>
        ByTask.TryGetValue(task ?? throw new ArgumentNullException(nameof(task)), out var model)
            ? model
            : throw new ArgumentException($"No model is recommended for the task '{task}'; pass a model id or URL. Tasks with a recommended model: {string.Join(", ", ByTask.Keys.Order())}.", nameof(task));
}
