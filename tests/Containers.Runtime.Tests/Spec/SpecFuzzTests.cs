using System.Text;
using System.Text.Json.Nodes;
using Containers.Runtime.Spec;

namespace Containers.Runtime.Tests.Spec;

/// <summary>Mutations of a valid config: each must give a spec or a SpecException, never another exception.</summary>
public class SpecFuzzTests
{
    private static readonly byte[] Valid = Encoding.UTF8.GetBytes(ConfigJson.Default());

    private static readonly string[] OtherValues =
        ["null", "1e30", "-1", "18446744073709551616", "0.5", "\"x\"", "[]", "{}", "true", "[null]", "{\"a\":null}"];

    [Fact]
    public void Truncation_at_every_step_never_crashes()
    {
        var step = Math.Max(1, Valid.Length / 400);
        var outcome = new Outcome();
        for (var length = 0; length < Valid.Length; length += step)
        {
            outcome.Try(Valid.AsSpan(0, length).ToArray(), $"truncated at {length}");
        }

        Assert.Equal(0, outcome.Specs); // a truncated document is never valid JSON
    }

    [Fact]
    public void Byte_flips_and_invalid_utf8_never_crash()
    {
        var random = new Random(1234);
        var outcome = new Outcome();
        byte[] poison = [0x00, 0x80, 0xC0, 0xC3, 0xED, 0xF5, 0xFF, (byte)'"', (byte)'{', (byte)']', (byte)'\\', (byte)','];
        for (var i = 0; i < 3000; i++)
        {
            var bytes = (byte[])Valid.Clone();
            var flips = 1 + random.Next(3);
            for (var f = 0; f < flips; f++)
            {
                bytes[random.Next(bytes.Length)] = random.Next(2) == 0 ? poison[random.Next(poison.Length)] : (byte)random.Next(256);
            }

            outcome.Try(bytes, $"flip #{i}");
        }

        // Invalid UTF-8 sequences inside string values.
        byte[][] sequences = [[0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF8, 0x88, 0x80, 0x80, 0x80]];
        var quote = Array.IndexOf(Valid, (byte)'"', Valid.Length / 2) + 1;
        foreach (var sequence in sequences)
        {
            outcome.Try([.. Valid[..quote], .. sequence, .. Valid[quote..]], "invalid UTF-8");
        }
    }

    [Fact]
    public void Every_value_replaced_by_every_other_type_never_crashes()
    {
        var outcome = new Outcome();
        var mutated = 0;
        var full = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Spec", "full-config.json"));
        foreach (var baseJson in new[] { Encoding.UTF8.GetString(Valid), full })
        {
            var paths = new List<string>();
            Collect(JsonNode.Parse(baseJson), paths);
            foreach (var path in paths)
            {
                foreach (var value in OtherValues)
                {
                    outcome.Try(Encoding.UTF8.GetBytes(ConfigJson.With(path, value, baseJson)), $"{path} = {value}");
                }
            }

            mutated += paths.Count;
        }

        Assert.True(mutated > 250, $"only {mutated} values were mutated");
        Assert.True(outcome.Errors > 0 && outcome.Specs > 0);
    }

    [Fact]
    public void Deep_nesting_and_huge_inputs_never_crash()
    {
        var outcome = new Outcome();
        foreach (var depth in new[] { 31, 32, 33, 64, 1000, 100_000 })
        {
            outcome.Try(Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth)), $"array depth {depth}");
            outcome.Try(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth)), $"object depth {depth}");
            outcome.Try(Encoding.UTF8.GetBytes("{\"linux\":{\"resources\":{\"unified\":" + new string('[', depth)), $"open depth {depth}");
        }

        outcome.Try(Encoding.UTF8.GetBytes("{\"annotations\":{" + string.Join(",", Enumerable.Range(0, 50_000).Select(i => $"\"k{i}\":\"v\"")) + "}}"), "many keys");
        outcome.Try(Encoding.UTF8.GetBytes("{\"process\":{\"args\":[\"" + new string('a', 1_000_000) + "\"]}}"), "long string");
        outcome.Try(Encoding.UTF8.GetBytes("{\"process\":{\"user\":{\"uid\":" + new string('9', 10_000) + "}}}"), "long number");
    }

    private sealed class Outcome
    {
        public int Specs { get; private set; }

        public int Errors { get; private set; }

        public void Try(byte[] input, string what)
        {
            try
            {
                SpecLoader.Parse(input);
                Specs++;
            }
            catch (SpecException e)
            {
                Assert.False(string.IsNullOrEmpty(e.Message), what);
                Errors++;
            }
            catch (Exception e)
            {
                Assert.Fail($"{what}: {e.GetType().Name}: {e.Message}");
            }
        }
    }

    private static void Collect(JsonNode? node, List<string> paths, string path = "")
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o)
                {
                    if (key.Contains('.', StringComparison.Ordinal))
                    {
                        continue; // not addressable by a dotted path
                    }

                    var childPath = path.Length == 0 ? key : $"{path}.{key}";
                    paths.Add(childPath);
                    Collect(child, paths, childPath);
                }

                break;
            case JsonArray a:
                // A few elements per array keep the run to seconds while reaching every shape.
                for (var i = 0; i < Math.Min(a.Count, 3); i++)
                {
                    paths.Add($"{path}[{i}]");
                    Collect(a[i], paths, $"{path}[{i}]");
                }

                break;
        }
    }
}
