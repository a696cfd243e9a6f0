using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;

namespace HuggingFace.Inference.Tests;

/// <summary>Every task method against the local server: the request that left, and the answer read.</summary>
public class TaskMethodTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
    private static readonly byte[] Flac = [.. "fLaC"u8, 0, 0, 0, 0x22];

    private JsonElement LastJson()
    {
        var request = fixture.LastInference();
        Assert.Equal("application/json", request.ContentType);
        return JsonDocument.Parse(request.Body).RootElement;
    }

    private void AssertPath(string path) => Assert.Equal(path, fixture.LastInference().RawPath);

    [Fact]
    public async Task TextClassificationSendsInputsAndUnwrapsTheNestedList()
    {
        using var client = fixture.Client();
        var output = await client.TextClassificationAsync("I like you. I love you", new TextClassificationParameters { TopK = 2 }, cancellationToken: TestContext.Current.CancellationToken);

        AssertPath("/hf-inference/models/distilbert/distilbert-base-uncased-finetuned-sst-2-english");
        var request = fixture.LastInference();
        Assert.Equal("POST", request.Method);
        Assert.Equal("Bearer " + ServerFixture.Token, request.Header("authorization"));
        Assert.StartsWith("HuggingFace.Inference/", request.Header("user-agent"));
        Assert.Equal("""{"inputs":"I like you. I love you","parameters":{"top_k":2}}""", request.BodyText);
        Assert.Equal("POSITIVE", output[0].Label);
        Assert.Equal(2, output.Count);
    }

    [Fact]
    public void SynchronousTwinsSendTheSameRequest()
    {
        using var client = fixture.Client();
        var output = client.TextClassification("This is not good", model: "distilbert/distilbert-base-uncased-finetuned-sst-2-english", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("NEGATIVE", output[0].Label);
        Assert.Equal("""{"inputs":"This is not good"}""", fixture.LastInference().BodyText);

        var image = client.ImageClassification(Png, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("tabby, tabby cat", image[0].Label);
    }

    [Fact]
    public async Task TokenClassificationFillMaskSummarizationTranslation()
    {
        using var client = fixture.Client();
        var ct = TestContext.Current.CancellationToken;

        var entities = await client.TokenClassificationAsync("My name is Sarah Jessica Parker", cancellationToken: ct);
        Assert.Contains(entities, e => e.Word == "Sarah" && e.EntityGroup == "PER");

        var masks = await client.FillMaskAsync("The [MASK] of France is Paris.", cancellationToken: ct);
        Assert.Equal("The capital of France is Paris.", masks[0].Sequence);

        var summary = await client.SummarizationAsync("The tower is 324 metres tall, about the same height as an 81-storey building.", cancellationToken: ct);
        Assert.Equal("The tower is 324 metres tall, about the", summary.SummaryText);

        var translation = await client.TranslationAsync("My name is Wolfgang", new TranslationParameters { SrcLang = "en", TgtLang = "fr" }, cancellationToken: ct);
        Assert.Equal("[fr] My name is Wolfgang", translation.TranslationText);
        Assert.Equal("""{"inputs":"My name is Wolfgang","parameters":{"src_lang":"en","tgt_lang":"fr"}}""", fixture.LastInference().BodyText);
    }

    [Fact]
    public async Task QuestionAnsweringNestsItsInputsAndReadsOneObjectAsAList()
    {
        using var client = fixture.Client();
        var answers = await client.QuestionAnsweringAsync("What is my name?", "My name is Clara and I live in Berkeley.", cancellationToken: TestContext.Current.CancellationToken);

        var body = LastJson();
        Assert.Equal("What is my name?", body.GetProperty("inputs").GetProperty("question").GetString());
        Assert.Equal("My name is Clara and I live in Berkeley.", body.GetProperty("inputs").GetProperty("context").GetString());
        Assert.Equal("Berkeley", Assert.Single(answers).Answer);
    }

    [Fact]
    public async Task TableQuestionAnsweringSendsTheQueryAsTheServiceReadsIt()
    {
        using var client = fixture.Client();
        var table = new Dictionary<string, IReadOnlyList<string>> { ["Repository"] = ["Transformers", "Datasets"], ["Stars"] = ["36542", "4512"] };
        var answer = await client.TableQuestionAnsweringAsync(table, "How many stars does the transformers repository have?", cancellationToken: TestContext.Current.CancellationToken);

        var inputs = LastJson().GetProperty("inputs");
        Assert.Equal("How many stars does the transformers repository have?", inputs.GetProperty("query").GetString());
        Assert.False(inputs.TryGetProperty("question", out _));
        Assert.Equal("Transformers", Assert.Single(answer).Answer);
    }

    [Fact]
    public async Task SentenceSimilarityUsesThePipelineRoute()
    {
        using var client = fixture.Client();
        var scores = await client.SentenceSimilarityAsync("That is a happy person", ["That is a happy dog", "Today is a sunny day"], cancellationToken: TestContext.Current.CancellationToken);

        AssertPath("/hf-inference/models/sentence-transformers/all-MiniLM-L6-v2/pipeline/sentence-similarity");
        Assert.Equal(2, LastJson().GetProperty("inputs").GetProperty("sentences").GetArrayLength());
        Assert.Equal(2, scores.Count);
        Assert.True(scores[0] > scores[1]);
    }

    [Fact]
    public async Task FeatureExtractionReturnsFloatEmbeddingsInTheServersShape()
    {
        using var client = fixture.Client();
        var ct = TestContext.Current.CancellationToken;

        var one = await client.FeatureExtractionAsync("Today is a sunny day", normalize: true, cancellationToken: ct);
        AssertPath("/hf-inference/models/sentence-transformers/all-MiniLM-L6-v2/pipeline/feature-extraction");
        Assert.Equal("""{"inputs":"Today is a sunny day","normalize":true}""", fixture.LastInference().BodyText);
        Assert.Equal([8], one.Shape);
        Assert.Equal(1.0, Math.Sqrt(one.Row(0).ToArray().Sum(v => (double)v * v)), 3);

        var batch = await client.FeatureExtractionAsync(new[] { "first", "second" }, cancellationToken: ct);
        Assert.Equal([2, 8], batch.Shape);
        Assert.Equal(8, batch.Row(1).Length);
    }

    [Fact]
    public async Task ZeroShotClassificationPutsTheLabelsInTheParameters()
    {
        using var client = fixture.Client();
        var ct = TestContext.Current.CancellationToken;
        var output = await client.ZeroShotClassificationAsync("A new model offers an explanation for how the Galilean satellites formed.", ["space & cosmos", "microbiology"], new ZeroShotClassificationParameters { CandidateLabels = ["ignored"], MultiLabel = true }, cancellationToken: ct);

        var parameters = LastJson().GetProperty("parameters");
        Assert.Equal(["space & cosmos", "microbiology"], parameters.GetProperty("candidate_labels").EnumerateArray().Select(e => e.GetString()));
        Assert.True(parameters.GetProperty("multi_label").GetBoolean());
        Assert.Equal("space & cosmos", output[0].Label);

        var image = await client.ZeroShotImageClassificationAsync(Png, ["cat", "dog"], cancellationToken: ct);
        var body = LastJson();
        Assert.Equal(Convert.ToBase64String(Png), body.GetProperty("inputs").GetString());
        Assert.Equal("cat", image[0].Label);
    }

    [Fact]
    public async Task BinaryTasksSendRawBytesWithTheirMediaTypeUnlessThereAreParameters()
    {
        using var client = fixture.Client();
        var ct = TestContext.Current.CancellationToken;

        var detections = await client.ObjectDetectionAsync(Png, cancellationToken: ct);
        var raw = fixture.LastInference();
        Assert.Equal("image/png", raw.ContentType);
        Assert.Equal(Png, raw.Body);
        Assert.Equal(310, detections[0].Box.Xmax);

        await client.ObjectDetectionAsync(Png, new ObjectDetectionParameters { Threshold = 0.9 }, cancellationToken: ct);
        var json = LastJson();
        Assert.Equal(Convert.ToBase64String(Png), json.GetProperty("inputs").GetString());
        Assert.Equal(0.9, json.GetProperty("parameters").GetProperty("threshold").GetDouble());

        var segments = await client.ImageSegmentationAsync(Png, cancellationToken: ct);
        Assert.Equal(Png, Convert.FromBase64String(segments[0].Mask));
        Assert.Equal("a cat sitting on a sofa", (await client.ImageToTextAsync(Png, cancellationToken: ct)).GeneratedText);

        var transcript = await client.AutomaticSpeechRecognitionAsync(Flac, cancellationToken: ct);
        Assert.Equal("audio/flac", fixture.LastInference().ContentType);
        Assert.Equal("hello from the local server", transcript.Text);
        Assert.Equal("neu", (await client.AudioClassificationAsync(Flac, cancellationToken: ct))[0].Label);
        var tracks = await client.AudioToAudioAsync(Flac, cancellationToken: ct);
        Assert.StartsWith("fLaC", System.Text.Encoding.ASCII.GetString(tracks[0].Blob.Bytes.Span[..4]));
    }

    [Fact]
    public async Task ImageAndSpeechAnswersAreBinaryOutputs()
    {
        using var client = fixture.Client();
        var ct = TestContext.Current.CancellationToken;

        var image = await client.TextToImageAsync("An astronaut riding a horse", new TextToImageParameters { Width = 512, Height = 512 }, cancellationToken: ct);
        Assert.Equal("image/png", fixture.LastInference().Header("accept"));
        Assert.Equal("image/png", image.ContentType);
        Assert.Equal(Png, image.ToArray());
        var path = Path.Combine(Path.GetTempPath(), $"hf-test-{Guid.NewGuid():N}.png");
        try
        {
            await image.SaveAsync(path, ct);
            Assert.Equal(Png, await File.ReadAllBytesAsync(path, ct));
        }
        finally
        {
            File.Delete(path);
        }

        var edited = await client.ImageToImageAsync(Png, new ImageToImageParameters { Prompt = "turn the cat into a tiger" }, cancellationToken: ct);
        Assert.Equal("image/png", fixture.LastInference().Header("accept"));
        Assert.Equal("turn the cat into a tiger", LastJson().GetProperty("parameters").GetProperty("prompt").GetString());
        Assert.Equal(Png, edited.ToArray());

        var speech = await client.TextToSpeechAsync("Hello world", cancellationToken: ct);
        Assert.Equal("audio/flac", speech.ContentType);
        using var stream = speech.OpenRead();
        Assert.Equal((byte)'f', stream.ReadByte());
    }

    [Fact]
    public async Task DocumentAndVisualQuestionAnsweringCarryTheImageInBase64()
    {
        using var client = fixture.Client();
        var ct = TestContext.Current.CancellationToken;

        var document = await client.DocumentQuestionAnsweringAsync(Png, "What is the invoice number?", cancellationToken: ct);
        var inputs = LastJson().GetProperty("inputs");
        Assert.Equal(Convert.ToBase64String(Png), inputs.GetProperty("image").GetString());
        Assert.Equal("What is the invoice number?", inputs.GetProperty("question").GetString());
        Assert.Equal("us-001", document[0].Answer);

        var visual = await client.VisualQuestionAnsweringAsync(Png, "How many cats are lying down?", cancellationToken: ct);
        Assert.Equal("How many cats are lying down?", LastJson().GetProperty("inputs").GetProperty("question").GetString());
        Assert.Equal("2", visual[0].Answer);
    }

    [Fact]
    public async Task TabularTasksSendTheTableAsTheServiceReadsIt()
    {
        using var client = fixture.Client();
        var ct = TestContext.Current.CancellationToken;
        var table = new TabularClassificationTable(new Dictionary<string, IReadOnlyList<string>> { ["fixed_acidity"] = ["7.4", "7.8", "10.3"] });

        var labels = await client.TabularClassificationAsync(table, cancellationToken: ct);
        Assert.Equal(3, LastJson().GetProperty("inputs").GetProperty("data").GetProperty("fixed_acidity").GetArrayLength());
        Assert.Equal(3, labels.Count);
        Assert.True(labels[0].IsNumber);

        var values = await client.TabularRegressionAsync(new TabularRegressionTable(new Dictionary<string, IReadOnlyList<string>> { ["Height"] = ["11.52", "12.48"] }), cancellationToken: ct);
        Assert.Equal([270.5, 291.75], values);
    }

    [Fact]
    public async Task FileAndStreamInputsAreStreamedAsRawBytes()
    {
        using var client = fixture.Client();
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(Path.GetTempPath(), $"hf-test-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(path, Png, ct);
        try
        {
            await client.ImageClassificationAsync(new FileInfo(path), cancellationToken: ct);
            Assert.Equal(Png, fixture.LastInference().Body);
            Assert.Equal("image/png", fixture.LastInference().ContentType);

            await using var stream = File.OpenRead(path);
            await client.ImageClassificationAsync(stream, cancellationToken: ct);
            Assert.Equal(Png, fixture.LastInference().Body);
            Assert.True(stream.CanRead, "the caller's stream must stay open");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task UrlInputsAreDownloadedWithoutTheTokenOrTheClientsHeaders()
    {
        using var client = fixture.Client(o =>
        {
            o.BillTo = "my-org";
            o.Headers["X-Custom"] = "1";
            o.Cookies["session"] = "abc";
        });
        fixture.Server.ClearRequests();
        await client.ImageClassificationAsync(fixture.Server.FileUrl("cat.png"), cancellationToken: TestContext.Current.CancellationToken);

        var download = Assert.Single(fixture.Server.Requests, r => r.Path == "/files/cat.png");
        Assert.Null(download.Header("authorization"));
        Assert.Null(download.Header("x-hf-bill-to"));
        Assert.Null(download.Header("x-custom"));
        Assert.Null(download.Header("cookie"));

        var inference = fixture.LastInference();
        Assert.Equal("Bearer " + ServerFixture.Token, inference.Header("authorization"));
        Assert.Equal("my-org", inference.Header("x-hf-bill-to"));
        Assert.Equal("1", inference.Header("x-custom"));
        Assert.Equal("session=abc", inference.Header("cookie"));
        Assert.Equal(Png, inference.Body);
        Assert.Equal("image/png", inference.ContentType);
    }

    [Fact]
    public async Task ModelsAreIdsOrUrls()
    {
        using var client = fixture.Client(o => o.Model = "deepset/roberta-base-squad2");
        var ct = TestContext.Current.CancellationToken;
        fixture.Server.Models["my-org/my-model"] = "text-classification";

        await client.TextClassificationAsync("hello", model: "my-org/my-model", cancellationToken: ct);
        AssertPath("/hf-inference/models/my-org/my-model");

        await client.QuestionAnsweringAsync("Who?", "Me.", cancellationToken: ct);
        AssertPath("/hf-inference/models/deepset/roberta-base-squad2");

        await client.TextClassificationAsync("hello", model: fixture.Server.EndpointUrl("text-classification").ToString(), cancellationToken: ct);
        AssertPath("/endpoints/text-classification");

        using var endpointClient = fixture.Client(o => o.Model = fixture.Server.EndpointUrl("summarization").ToString());
        await endpointClient.SummarizationAsync("One two three four five six seven eight nine ten", cancellationToken: ct);
        AssertPath("/endpoints/summarization");
    }
}
