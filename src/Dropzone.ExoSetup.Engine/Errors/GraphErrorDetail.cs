namespace Dropzone.ExoSetup.Engine.Errors
{
    /// <summary>What Microsoft Graph said about a failed request: enough for support to find it.</summary>
    public sealed class GraphErrorDetail
    {
        public GraphErrorDetail(int statusCode, string code, string message, string requestId)
        {
            StatusCode = statusCode;
            Code = code;
            Message = message;
            RequestId = requestId;
        }

        public int StatusCode { get; }
        public string Code { get; }
        public string Message { get; }
        public string RequestId { get; }

        public override string ToString() =>
            $"{StatusCode} {Code}: {Message} (request-id {RequestId ?? "none"})";
    }
}
