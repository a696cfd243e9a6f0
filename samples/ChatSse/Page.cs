namespace HuggingFace.Inference.Samples.ChatSse;

/// <summary>The page: a question box and the answer, appended token by token from the event stream.</summary>
internal static class Page
{
    public const string Html = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Chat over server-sent events</title></head>
        <body>
          <form id="ask"><input id="q" value="What is the capital of France?" size="60"> <button>Ask</button></form>
          <p id="answer" data-state="idle"></p>
          <script>
            function ask(question) {
              const answer = document.getElementById('answer');
              answer.textContent = '';
              answer.dataset.state = 'streaming';
              answer.dataset.tokens = '0';
              const source = new EventSource('/chat?q=' + encodeURIComponent(question));
              source.addEventListener('token', e => {
                answer.textContent += JSON.parse(e.data).text;
                answer.dataset.tokens = String(Number(answer.dataset.tokens) + 1);
              });
              source.addEventListener('done', () => { answer.dataset.state = 'done'; source.close(); });
              source.addEventListener('error', e => {
                answer.dataset.state = 'error';
                if (e.data) answer.textContent = JSON.parse(e.data).message;
                source.close();
              });
            }
            document.getElementById('ask').addEventListener('submit', e => { e.preventDefault(); ask(document.getElementById('q').value); });
            const start = new URLSearchParams(location.search).get('q');
            if (start) ask(start);
          </script>
        </body>
        </html>
        """;
}
