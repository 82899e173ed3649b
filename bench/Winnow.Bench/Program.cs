Console.WriteLine("no suites yet");
