using System.Text;

namespace HuggingFace.Inference.Generator.Model
{
    /// <summary>Turns schema titles, property names and enum values into C# identifiers.</summary>
    internal static class Naming
    {
        /// <summary>
        /// PascalCase: words split at '_', '-', '.', '/', spaces and other non-identifier characters;
        /// each word's first letter upper-cased and the rest kept, so titles that are already
        /// PascalCase ("ChatCompletionInputJSONSchema") stay as they are.
        /// </summary>
        public static string Pascal(string text)
        {
            var builder = new StringBuilder(text.Length);
            var upperNext = true;
            foreach (var c in text)
            {
                if (char.IsLetterOrDigit(c))
                {
                    builder.Append(upperNext ? char.ToUpperInvariant(c) : c);
                    upperNext = false;
                }
                else
                {
                    upperNext = true;
                }
            }

            if (builder.Length == 0)
            {
                return "Value";
            }

            if (char.IsDigit(builder[0]))
            {
                builder.Insert(0, '_');
            }

            return builder.ToString();
        }
    }
}
