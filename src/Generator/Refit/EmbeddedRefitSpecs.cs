using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using HuggingFace.Inference.Generator.Diagnostics;
using HuggingFace.Inference.Generator.Emit;
using HuggingFace.Inference.Generator.Model;
using HuggingFace.Inference.Generator.Parsing;
using Microsoft.CodeAnalysis;

namespace HuggingFace.Inference.Generator.Refit
{
    /// <summary>
    /// The library's own Refit interfaces, from specs embedded in this assembly (linked from the
    /// repository's specs/ folder, so that folder stays the only copy). They are post-initialization
    /// output because that is the only output Refit's source generator sees: it runs on the compilation
    /// as it is before any generator's regular output. Post-initialization cannot read AdditionalFiles,
    /// options or report diagnostics, hence the embedded copies, and hence <see cref="Check"/>, which the
    /// regular pipeline runs against the AdditionalFiles copy to report what went wrong (HFGEN011).
    /// Nothing here throws: a spec that cannot be read yields no interface and a problem.
    /// </summary>
    internal static class EmbeddedRefitSpecs
    {
        /// <summary>One embedded OpenAPI document and the interface it becomes.</summary>
        internal sealed record Entry(string Resource, string DisplayPath, string Namespace, string InterfaceName);

        /// <summary>One generated interface.</summary>
        internal sealed record Output(string HintName, string Source);

        /// <summary>What the embedded specs yield: the interfaces, and the problems that kept any from generating.</summary>
        internal sealed record Result(EquatableArray<Output> Sources, EquatableArray<string> Problems);

        public static readonly Entry[] Entries =
        {
            new Entry("HuggingFace.Inference.Generator.Specs.endpoints-openapi.json", "specs/endpoints-openapi.json", "HuggingFace.Inference.Endpoints", "IInferenceEndpointsApi"),
        };

        private static readonly Lazy<Result> Embedded = new Lazy<Result>(() => Build(ReadResource), LazyThreadSafetyMode.ExecutionAndPublication);

        /// <summary>The interfaces of the specs in this assembly, built once per process.</summary>
        public static Result Current => Embedded.Value;

        /// <summary>The post-initialization step: adds every interface (each inside its #if).</summary>
        public static void AddSources(IncrementalGeneratorPostInitializationContext context)
        {
            foreach (var output in Current.Sources)
            {
                context.AddSource(output.HintName, output.Source);
            }
        }

        /// <summary>Builds the interfaces from the texts <paramref name="read"/> returns (null: missing); never throws.</summary>
        public static Result Build(Func<string, string?> read)
        {
            var sources = new List<Output>();
            var problems = new List<string>();
            foreach (var entry in Entries)
            {
                try
                {
                    var text = read(entry.Resource);
                    if (text == null)
                    {
                        problems.Add(entry.DisplayPath + ": not embedded in the generator");
                        continue;
                    }

                    var file = new SpecFile(entry.DisplayPath, entry.DisplayPath, "openapi", text, entry.Namespace);
                    var documents = SpecFileParser.ReadDocument(file) is { } document ? new[] { document }.ToEquatableArray() : EquatableArray<SchemaDocument>.Empty;
                    var model = SpecFileParser.Parse(file, documents, CancellationToken.None);
                    var errors = model.Diagnostics
                        .Where(d => DiagnosticDescriptors.Find(d.Id)?.DefaultSeverity == DiagnosticSeverity.Error || d.Id == DiagnosticDescriptors.UnsupportedConstruct.Id)
                        .Select(d => entry.DisplayPath + " (" + d.Id + " at line " + (d.Line + 1) + "): " + string.Join(", ", d.Arguments))
                        .ToList();
                    problems.AddRange(errors);
                    if (model.Api == null || model.Api.Operations.Count == 0)
                    {
                        problems.Add(entry.DisplayPath + ": no operation could be read, so " + entry.InterfaceName + " is not generated");
                        continue;
                    }

                    sources.Add(new Output(RefitInterfaceEmitter.HintName(entry.Namespace, entry.InterfaceName), RefitInterfaceEmitter.Emit(model.Api, entry.InterfaceName)));
                }
                catch (Exception exception)
                {
                    problems.Add(entry.DisplayPath + ": " + exception.GetType().Name + ": " + exception.Message);
                }
            }

            return new Result(sources.ToEquatableArray(), problems.ToEquatableArray());
        }

        /// <summary>
        /// The regular pipeline's report for a project that compiles the interfaces (it defines
        /// <see cref="RefitInterfaceEmitter.Symbol"/>): the embedded specs' problems, and an AdditionalFiles
        /// copy of an embedded spec whose text is not the embedded one (the generator was built from another
        /// version of the document, so the interface and the types disagree). Empty otherwise.
        /// </summary>
        public static EquatableArray<DiagnosticInfo> Check(bool enabled, IEnumerable<SpecFile> files, Result embedded, Func<string, string?> read)
        {
            if (!enabled)
            {
                return EquatableArray<DiagnosticInfo>.Empty;
            }

            var diagnostics = new List<DiagnosticInfo>();
            var fileList = files.ToList();
            foreach (var problem in embedded.Problems)
            {
                var at = fileList.FirstOrDefault(f => problem.StartsWith(f.DisplayPath, StringComparison.Ordinal))?.Path ?? string.Empty;
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.RefitInterface, at, 0, 0, problem));
            }

            foreach (var entry in Entries)
            {
                var copy = fileList.FirstOrDefault(f => f.DisplayPath == entry.DisplayPath);
                var text = read(entry.Resource);
                if (copy != null && text != null && Normalize(copy.Text) != Normalize(text))
                {
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.RefitInterface,
                        copy.Path,
                        0,
                        0,
                        entry.DisplayPath + " differs from the copy embedded in the generator, so " + entry.InterfaceName + " does not follow it: rebuild the generator"));
                }
            }

            return diagnostics.ToEquatableArray();
        }

        /// <summary>An embedded spec's text; null when it is not embedded.</summary>
        public static string? ReadResource(string name)
        {
            using var stream = typeof(EmbeddedRefitSpecs).Assembly.GetManifestResourceStream(name);
            if (stream == null)
            {
                return null;
            }

            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }

        private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd();
    }
}
