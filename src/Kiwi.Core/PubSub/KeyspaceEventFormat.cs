using System.Text;

namespace Kiwi.Core.PubSub;

/// <summary>Redis's <c>notify-keyspace-events</c> text: its parser and its canonical form (keyspaceEventsFlagsToString).</summary>
public static class KeyspaceEventFormat
{
    /// <summary>Redis's refusal of an unknown letter (CONFIG SET's reason).</summary>
    public const string InvalidClass = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";

    /// <summary>Parses the letters; false on any other character.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out KeyspaceEventClasses classes)
    {
        classes = KeyspaceEventClasses.None;
        foreach (char c in text)
        {
            KeyspaceEventClasses one = c switch
            {
                'A' => KeyspaceEventClasses.All,
                'g' => KeyspaceEventClasses.Generic,
                '$' => KeyspaceEventClasses.String,
                'l' => KeyspaceEventClasses.List,
                's' => KeyspaceEventClasses.Set,
                'h' => KeyspaceEventClasses.Hash,
                'z' => KeyspaceEventClasses.SortedSet,
                'x' => KeyspaceEventClasses.Expired,
                'e' => KeyspaceEventClasses.Evicted,
                'K' => KeyspaceEventClasses.Keyspace,
                'E' => KeyspaceEventClasses.Keyevent,
                't' => KeyspaceEventClasses.Stream,
                'm' => KeyspaceEventClasses.KeyMiss,
                'd' => KeyspaceEventClasses.Module,
                'n' => KeyspaceEventClasses.New,
                _ => (KeyspaceEventClasses)(-1),
            };
            if ((int)one == -1)
            {
                classes = KeyspaceEventClasses.None;
                return false;
            }

            classes |= one;
        }

        return true;
    }

    /// <summary>The canonical letters CONFIG GET shows ("AKE" for "KEA"; 'n' is hidden behind 'A', as in Redis 7.0).</summary>
    public static string Format(KeyspaceEventClasses classes)
    {
        var text = new StringBuilder();
        if ((classes & KeyspaceEventClasses.All) == KeyspaceEventClasses.All)
        {
            text.Append('A');
        }
        else
        {
            Append(text, classes, KeyspaceEventClasses.Generic, 'g');
            Append(text, classes, KeyspaceEventClasses.String, '$');
            Append(text, classes, KeyspaceEventClasses.List, 'l');
            Append(text, classes, KeyspaceEventClasses.Set, 's');
            Append(text, classes, KeyspaceEventClasses.Hash, 'h');
            Append(text, classes, KeyspaceEventClasses.SortedSet, 'z');
            Append(text, classes, KeyspaceEventClasses.Expired, 'x');
            Append(text, classes, KeyspaceEventClasses.Evicted, 'e');
            Append(text, classes, KeyspaceEventClasses.Stream, 't');
            Append(text, classes, KeyspaceEventClasses.Module, 'd');
            Append(text, classes, KeyspaceEventClasses.New, 'n');
        }

        Append(text, classes, KeyspaceEventClasses.Keyspace, 'K');
        Append(text, classes, KeyspaceEventClasses.Keyevent, 'E');
        Append(text, classes, KeyspaceEventClasses.KeyMiss, 'm');
        return text.ToString();
    }

    private static void Append(StringBuilder text, KeyspaceEventClasses classes, KeyspaceEventClasses one, char letter)
    {
        if ((classes & one) != 0)
        {
            text.Append(letter);
        }
    }
}
