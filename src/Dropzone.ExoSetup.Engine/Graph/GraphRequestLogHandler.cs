using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Dropzone.ExoSetup.Engine.Diagnostics;

namespace Dropzone.ExoSetup.Engine.Graph
{
    /// <summary>
    /// Innermost handler of the Graph pipeline: every attempt that reaches the wire (retries
    /// included) is logged with method, path, status, duration and request-id. Headers and bodies are
    /// never logged: the Authorization header must not reach any stream.
    /// </summary>
    internal sealed class GraphRequestLogHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var log = OperationScope.Log;
            var target = request.RequestUri.PathAndQuery;
            var watch = Stopwatch.StartNew();
            try
            {
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                var requestId = response.Headers.TryGetValues("request-id", out var ids) ? ids.FirstOrDefault() : null;
                log.Verbose($"Graph {request.Method} {target} -> {(int)response.StatusCode} {response.ReasonPhrase} in {watch.ElapsedMilliseconds} ms (request-id {requestId ?? "none"})");
                return response;
            }
            catch (HttpRequestException e)
            {
                log.Verbose($"Graph {request.Method} {target} -> failed after {watch.ElapsedMilliseconds} ms: {e.Message}");
                throw;
            }
        }
    }
}
