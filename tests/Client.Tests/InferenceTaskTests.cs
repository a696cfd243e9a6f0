using System.Collections.Immutable;
using System.Reflection;
using HuggingFace.Inference.Http;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// <see cref="InferenceTask"/> is one shared description per task, read by every call of that task:
/// nothing in it can be changed after it is made (issue 14).
/// </summary>
public class InferenceTaskTests
{
    [Fact]
    public void RenamesAreImmutableAndNeverDefault()
    {
        Assert.Equal(typeof(ImmutableArray<string>), typeof(InferenceTask).GetProperty(nameof(InferenceTask.Renames))!.PropertyType);

        var none = new InferenceTask("text-classification", null, RequestBodyForm.Json, ResponseForm.Json, null);
        Assert.False(none.Renames.IsDefault);
        Assert.True(none.Renames.IsEmpty);
        Assert.True((none with { Renames = default }).Renames.IsEmpty);

        var renamed = none with { Renames = ["inputs.question=query"] };
        Assert.Equal(["inputs.question=query"], renamed.Renames);
        Assert.True(none.Renames.IsEmpty);
    }

    [Fact]
    public void TheGeneratedTableQuestionAnsweringWireCarriesItsRename()
    {
        // The generated description (TaskApiEmitter): ImmutableArray.Create("inputs.question=query").
        var field = typeof(InferenceClient).GetField("TableQuestionAnsweringWire", BindingFlags.NonPublic | BindingFlags.Static)!;
        var wire = (InferenceTask)field.GetValue(null)!;
        Assert.Equal(["inputs.question=query"], wire.Renames);
        Assert.True(((InferenceTask)typeof(InferenceClient).GetField("TextClassificationWire", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!).Renames.IsEmpty);
    }
}
