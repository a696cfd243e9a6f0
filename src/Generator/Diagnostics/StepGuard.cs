using System;
using Microsoft.CodeAnalysis;

namespace HuggingFace.Inference.Generator.Diagnostics
{
    /// <summary>
    /// Keeps a throw inside one pipeline step from failing the whole compile with CS8785: the exception becomes a
    /// diagnostic against the spec file the step works for, and the step's other outputs still generate.
    /// Cancellation is not a failure and goes through.
    /// </summary>
    internal static class StepGuard
    {
        /// <summary>The exception as a diagnostic message: its type and message, no stack (the message must be stable).</summary>
        public static string Describe(Exception exception) => exception.GetType().Name + ": " + exception.Message;

        /// <summary>Emits one source file; a throw from the emitter or from AddSource (a bad hint name, a duplicate) is HFGEN011.</summary>
        /// <param name="filePath">The spec file the source comes from (where the diagnostic points).</param>
        public static void AddSource(SourceProductionContext context, string filePath, Func<string> hintName, Func<string> emit)
        {
            var hint = "?";
            try
            {
                hint = hintName();
                context.AddSource(hint, emit());
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception exception)
            {
                context.ReportDiagnostic(DiagnosticInfo.Create(DiagnosticDescriptors.EmitFailed, filePath, 0, 0, SpecGenerator.DisplayPath(filePath), hint, Describe(exception)).ToDiagnostic());
            }
        }

        /// <summary>Runs a step that builds a model; a throw is HFGEN006 against <paramref name="filePath"/> through <paramref name="onFailure"/>.</summary>
        public static T Run<T>(string filePath, string displayPath, Func<T> step, Func<DiagnosticInfo, T> onFailure)
        {
            try
            {
                return step();
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception exception)
            {
                return onFailure(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, filePath, 0, 0, displayPath, Describe(exception)));
            }
        }
    }
}
