using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using TenantEmulator;
using Microsoft.AspNetCore.Builder;
using Xunit;

namespace TenantEmulator.Tests;

/// <summary>The answer to one request: status, parsed JSON body (or null) and the raw response.</summary>
public sealed record Reply(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)
{
    public int Code => (int)Status;
    public string? ErrorCode => (string?)Body?["error"]?["code"];
    public JsonArray Value => (JsonArray)Body!["value"]!;
}

/// <summary>
/// Each test gets its own emulator, hosted in-process on a free loopback port and spoken to over
/// real HTTP, seeded from one of the tenant files.
/// </summary>
public abstract class EmulatorTest : IAsyncLifetime
{
    // Identifiers from tenants/*.json.
    public const string DropzoneAppObjectId = "0c3f5a7e-9b1d-4f2a-8c4e-6a8b0c2d4e6f";
    public const string DropzoneAppId = "a7d1c3e5-2b4f-4c6a-9e8d-1f3b5d7a9c2e";
    public const string DropzoneSpId = "4d6f8a0c-2e4a-4c6e-8a0c-3e5a7c9e1b3d"; // customer.json only
    public const string ExchangeSpId = "3b7c9e21-5d4f-4a8b-9c6e-2f1a0b3c4d5e";
    public const string ExchangeAppId = "00000002-0000-0ff1-ce00-000000000000";
    public const string GraphSpId = "8e4a2c6d-1f3b-4d5e-a7c9-0b1d2e3f4a5b";
    public const string ManageAsApp = "dc50a0fb-09a3-484d-be87-e023b12c6440";
    public const string UserReadAll = "df021288-bdef-4463-88db-98f22de89214";

    protected virtual string Tenant => "default";
    protected EmulatorHost Host { get; private set; } = null!;
    protected HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await EmulatorHost.StartAsync(EmulatorStore.FromFile(TenantFile(Tenant)), configure: Configure);
        Http = new HttpClient { BaseAddress = Host.BaseUri };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "test-token");
    }

    /// <summary>Extra endpoints a test class needs on its emulator.</summary>
    protected virtual void Configure(WebApplication app) { }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }

    public static string TenantFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "TenantEmulator", "tenants", name + ".json");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"tenant file {name}.json not found above {AppContext.BaseDirectory}");
    }

    protected Task<Reply> Get(string url) => Send(HttpMethod.Get, url);
    protected Task<Reply> Post(string url, object? body) => Send(HttpMethod.Post, url, body);
    protected Task<Reply> Patch(string url, object? body) => Send(HttpMethod.Patch, url, body);
    protected Task<Reply> Delete(string url) => Send(HttpMethod.Delete, url);

    /// <summary>Sends with the default Bearer token, or with none when <paramref name="anonymous"/> (configure may add another).</summary>
    protected async Task<Reply> Send(HttpMethod method, string url, object? body = null, Action<HttpRequestMessage>? configure = null, bool anonymous = false)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            var json = body as JsonNode ?? System.Text.Json.JsonSerializer.SerializeToNode(body);
            request.Content = new StringContent(json!.ToJsonString(), Encoding.UTF8, "application/json");
        }
        configure?.Invoke(request);
        using var anonymousClient = anonymous ? new HttpClient { BaseAddress = Host.BaseUri } : null;
        var response = await (anonymousClient ?? Http).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text), response);
    }

    /// <summary>A control endpoint; these need no token, so they are called without one.</summary>
    protected async Task<Reply> Control(HttpMethod method, string path, object? body = null)
    {
        using var client = new HttpClient { BaseAddress = Host.BaseUri };
        using var request = new HttpRequestMessage(method, "/_emulator/" + path);
        if (body is not null)
            request.Content = new StringContent((body as JsonNode ?? System.Text.Json.JsonSerializer.SerializeToNode(body))!.ToJsonString(), Encoding.UTF8, "application/json");
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text), response);
    }

    protected async Task<JsonArray> RequestLog() => (await Control(HttpMethod.Get, "requests")).Value;

    /// <summary>A fresh self-signed certificate, as base64 DER (the form keyCredentials take).</summary>
    public static (string Base64, X509Certificate2 Certificate) NewCertificate(DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Dropzone AI test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var certificate = request.CreateSelfSigned(
            notBefore ?? new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
            notAfter ?? new DateTimeOffset(2049, 12, 31, 0, 0, 0, TimeSpan.Zero));
        var der = certificate.Export(X509ContentType.Cert);
        return (Convert.ToBase64String(der), X509CertificateLoader.LoadCertificate(der));
    }

    public static JsonObject KeyCredential(string key, string? start = null, string? end = null) => new()
    {
        ["type"] = "AsymmetricX509Cert",
        ["usage"] = "Verify",
        ["key"] = key,
        ["displayName"] = "Dropzone AI",
        ["startDateTime"] = start,
        ["endDateTime"] = end,
    };
}
