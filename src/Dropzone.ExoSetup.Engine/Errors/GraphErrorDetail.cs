namespace Dropzone.ExoSetup.Engine.Errors
{
    /// <summary>What Microsoft Graph said about a failed request: enough for support to find it.</summary>
    public sealed class GraphErrorDetail
    {
        public GraphErrorDetail(int statusCode, string code, string message, string requestId, string method, string path)
        {
            StatusCode = statusCode;
            Code = code;
            Message = message;
            RequestId = requestId;
            Method = method;
            Path = path;
        }

        public int StatusCode { get; }
        public string Code { get; }
        public string Message { get; }
        public string RequestId { get; }
        public string Method { get; }
        public string Path { get; }

        public override string ToString() =>
            $"{Method} {Path} returned {StatusCode} {Code}: {Message} (request-id {RequestId ?? "none"})";
    }
}
