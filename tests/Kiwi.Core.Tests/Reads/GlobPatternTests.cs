using System.Text;
using Kiwi.Core.Reads;

namespace Kiwi.Core.Tests.Reads;

/// <summary>GlobPattern gives Redis's answers (checked against redis-server 7.0 with KEYS) in polynomial time.</summary>
public sealed class GlobPatternTests
{
    /// <summary>Pattern, text, Redis's answer (KEYS on redis-server 7.0.15; "**" stands for "*" there, which KEYS short-cuts).</summary>
    public static TheoryData<string, string, bool> RedisAnswers => new()
    {
        { "**", string.Empty, false },
        { string.Empty, string.Empty, true },
        { "?", string.Empty, false },
        { "a*", "a", true },
        { "*a", "a", true },
        { "*", "x", true },
        { "a*b", "ab", true },
        { "a*b", "axxb", true },
        { "a*b", "axxbx", false },
        { "*a*", "bab", true },
        { "h?llo", "hello", true },
        { "[", "[", false },
        { "[", "a", false },
        { "[^", "x", true },
        { "[a-", "-", true },
        { "[a-", "a", true },
        { "[a-", "b", false },
        { "[z-a]", "m", true },
        { "[a-]b]", "]", true },
        { "[a-]b]", "b", true },
        { "[a-]b]", "_", true },
        { "[a-]b]", "c", false },
        { "[]]", "]", false },
        { "[^]]", "x]", true },
        { "[^]]", "x", false },
        { "[^a-c]", "d", true },
        { "[^a-c]", "b", false },
        { "[-a]", "-", true },
        { "[a-c-e]", "d", false },
        { "[a-c-e]", "-", true },
        { "[!a]", "b", false },
        { "[!a]", "!", true },
        { "\\", "\\", true },
        { "a\\", "a\\", true },
        { "\\*", "*", true },
        { "\\*", "a", false },
        { "[\\]]", "]", true },
        { "[\\", "\\", true },
        { "[a\\", "\\", true },
        { "[\\a]", "\\", false },
        { "*[", "x[", false },
        { "a[^", "ab", true },
        { "x[", "x", false },
        { "x[^", "x", false },
    };

    [Theory]
    [MemberData(nameof(RedisAnswers))]
    public void Matches_like_Redis(string pattern, string text, bool expected)
    {
        Assert.Equal(expected, GlobPattern.IsMatch(Encoding.Latin1.GetBytes(pattern), Encoding.Latin1.GetBytes(text)));
        Assert.Equal(expected, RecursiveGlob.IsMatch(Encoding.Latin1.GetBytes(pattern), Encoding.Latin1.GetBytes(text)));
    }

    [Theory]
    [InlineData("[A]", "a", true)]
    [InlineData("[A-C]", "b", true)]
    [InlineData("\\A", "a", true)]
    [InlineData("H*O", "hello", true)]
    [InlineData("[\\A]", "a", false)]
    [InlineData("[\\A]", "A", true)]
    public void Ignoring_case_compares_an_escaped_byte_in_a_class_exactly_as_Redis_does(string pattern, string text, bool expected)
        => Assert.Equal(expected, GlobPattern.IsMatch(Encoding.Latin1.GetBytes(pattern), Encoding.Latin1.GetBytes(text), ignoreCase: true));

    [Fact]
    public async Task A_pattern_with_many_stars_answers_at_once()
    {
        // "a*a*…*b" (30 stars) against 64 "a": the recursive matcher tries every way to split the text.
        byte[] pattern = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("a*", 30)) + "b");
        byte[] text = Encoding.ASCII.GetBytes(new string('a', 64));
        byte[] longPattern = Encoding.ASCII.GetBytes("*" + new string('a', 2000) + "b");
        byte[] longText = Encoding.ASCII.GetBytes(new string('a', 4000));
        Task<(bool, bool, bool)> run = Task.Run(() => (
            GlobPattern.IsMatch(pattern, text),
            GlobPattern.IsMatch(pattern, [.. text, (byte)'b']),
            GlobPattern.IsMatch(longPattern, longText)));

        // The bound only catches the exponential case (minutes at full CPU); the match itself takes microseconds.
        Assert.Equal((false, true, false), await run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData("*a", 1001, "", 1001, false)]
    [InlineData("*a", 1000, "", 1001, true)]
    [InlineData("*a", 1000, "*", 1001, true)]
    [InlineData("*a", 1001, "*", 1001, false)]
    [InlineData("a*", 1001, "", 1001, true)]
    [InlineData("a*", 1000, "a", 1001, true)]
    [InlineData("a*", 1001, "a", 1002, false)]
    public void Past_1000_nested_stars_nothing_matches_as_in_Redis(string unit, int repeat, string tail, int textLength, bool expected)
    {
        byte[] pattern = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(unit, repeat)) + tail);
        Assert.Equal(expected, GlobPattern.IsMatch(pattern, Encoding.ASCII.GetBytes(new string('a', textLength))));
    }

    [Fact]
    public void Agrees_with_the_recursive_matcher_on_random_small_inputs()
    {
        var random = new Random(20261231);
        ReadOnlySpan<byte> patternBytes = "aAb*?[]^-\\"u8;
        ReadOnlySpan<byte> textBytes = "aAb]^-\\*?["u8;
        Span<byte> pattern = stackalloc byte[10];
        Span<byte> text = stackalloc byte[8];
        for (int i = 0; i < 300_000; i++)
        {
            int patternLength = random.Next(pattern.Length + 1);
            int textLength = random.Next(text.Length + 1);
            for (int j = 0; j < patternLength; j++)
            {
                pattern[j] = patternBytes[random.Next(patternBytes.Length)];
            }

            for (int j = 0; j < textLength; j++)
            {
                text[j] = textBytes[random.Next(textBytes.Length)];
            }

            bool nocase = (i & 1) != 0;
            bool expected = RecursiveGlob.IsMatch(pattern[..patternLength], text[..textLength], nocase);
            if (GlobPattern.IsMatch(pattern[..patternLength], text[..textLength], nocase) != expected)
            {
                Assert.Fail($"pattern '{Encoding.Latin1.GetString(pattern[..patternLength])}' text '{Encoding.Latin1.GetString(text[..textLength])}' nocase {nocase}: expected {expected}");
            }
        }
    }
}
