using System;
using HuggingFace.Inference.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace HuggingFace.Inference.Generator.Diagnostics
{
    /// <summary>
    /// A diagnostic as plain data (no Roslyn Location or Diagnostic inside), so that pipeline
    /// models carrying diagnostics stay equatable and cacheable. Lines and columns are zero-based.
    /// </summary>
    internal sealed record DiagnosticInfo(string Id, string FilePath, int Line, int Column, EquatableArray<string> Arguments)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, string filePath, int line, int column, params string[] arguments) =>
            new DiagnosticInfo(descriptor.Id, filePath, Math.Max(0, line), Math.Max(0, column), arguments.ToEquatableArray());

        public Diagnostic ToDiagnostic()
        {
            var descriptor = DiagnosticDescriptors.Find(Id) ?? DiagnosticDescriptors.InternalError;
            var position = new LinePosition(Line, Column);
            var location = Location.Create(FilePath, default(TextSpan), new LinePositionSpan(position, position));
            var arguments = new object[Arguments.Count];
            for (var i = 0; i < arguments.Length; i++)
            {
                arguments[i] = Arguments[i];
            }

            return Diagnostic.Create(descriptor, location, arguments);
        }
    }
}
