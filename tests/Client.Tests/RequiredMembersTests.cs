using System;
using System.Linq;
using System.Text.Json;
using HuggingFace.Inference.Serialization;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// The generated required-member check (<see cref="IRequiredMembers"/>) on its own: nothing allocated when nothing
/// is missing, the JSON path of the first missing member at any depth when something is.
/// </summary>
public class RequiredMembersTests
{
    private static ChatCompletionOutput RecordedChatAnswer() =>
        RecordedTraffic.Load()
            .Where(e => e.Task == "chat-completion" && e.Status == 200 && !e.IsSse && e.ResponseBody != null && RecordedTraffic.IsJson(e.ResponseBody))
            .Select(e => JsonSerializer.Deserialize(e.ResponseBody!, InferenceJson.Info<ChatCompletionOutput>(InferenceJson.ReadOptions))!)
            .First(o => o.Choices is { Count: > 0 } && o.Choices[0].Message is not null && o.Usage is not null && o.SystemFingerprint is not null);

    [Fact]
    public void ACompleteAnswerIsCheckedWithoutAllocating()
    {
        IRequiredMembers answer = RecordedChatAnswer();
        Assert.Null(answer.FindMissingMember());

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Assert.Null(answer.FindMissingMember());
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void TheFirstMissingMemberIsNamedByItsPathAtAnyDepth()
    {
        var answer = RecordedChatAnswer();
        var choice = answer.Choices[0];
        Assert.Equal("choices[0].message.role", ((IRequiredMembers)(answer with { Choices = [choice with { Message = choice.Message with { Role = null! } }] })).FindMissingMember());
        Assert.Equal("choices[1]", ((IRequiredMembers)(answer with { Choices = [choice, null!] })).FindMissingMember());
        Assert.Equal("usage", ((IRequiredMembers)(answer with { Usage = null! })).FindMissingMember());

        var list = new TextClassificationOutput([new TextClassificationOutputElement { Label = "a", Score = 1 }, new TextClassificationOutputElement { Label = null!, Score = 0 }]);
        Assert.Equal("[1].label", ((IRequiredMembers)list).FindMissingMember());
    }
}
