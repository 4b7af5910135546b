Feature: Figures that do not add up, duplicates and stale data
  As the Community Safety Manager
  I want the tracker to catch printed figures that do not add up and records that are out of date
  So that the Strategic Group is never shown a budget table that is wrong or old

  Scenario Outline: DAT001 a printed balance is not allocated less spent
    Given Charnwood's PLF fund for 2017/18 of £75,500.00
    And a line "Syston Youth Café" allocated £2,000.00
    And £1,000.00 was paid to "Syston Youth Café" on 15/09/2017
    And "Syston Youth Café" was printed with a balance of <printed>
    When the rules are checked as at 26/10/2017
    Then DAT001 is <verdict>

    @breach
    Examples: the balance in the papers is wrong
      | printed   | verdict |
      | £1,500.00 | raised  |
      | £999.99   | raised  |

    @within_tolerance
    Examples: the balance adds up to the penny
      | printed   | verdict    |
      | £1,000.00 | not raised |

  Scenario: DAT001 gives the true balance
    Given Charnwood's PLF fund for 2017/18 of £75,500.00
    And a line "Prevention Campaign Materials" allocated £5,000.00
    And £783.00 was paid to "Prevention Campaign Materials" on 15/09/2017
    And "Prevention Campaign Materials" was printed with a balance of £4,127.00
    When the rules are checked as at 26/10/2017
    Then the DAT001 finding says "allocated £5,000.00 − spent £783.00 = £4,217.00"
    And the DAT001 finding is an error

  Scenario Outline: DAT002 the same line appears twice in a fund
    Given Charnwood's PLF fund for 2017/18 of £75,500.00
    And a line "Mediation" allocated £5,000.00
    And a line "<second>" allocated <amount>
    When the rules are checked as at 26/10/2017
    Then DAT002 is <verdict>

    @breach
    Examples: the same description and amount twice
      | second     | amount    | verdict |
      | Mediation  | £5,000.00 | raised  |
      | MEDIATION. | £5,000.00 | raised  |

    @within_tolerance
    Examples: a different amount or a different line
      | second             | amount    | verdict    |
      | Mediation          | £4,000.00 | not raised |
      | Mediation services | £5,000.00 | not raised |

  Scenario Outline: DAT003 a table's printed total is not the sum of its rows
    Given Charnwood's PLF fund for 2017/18 of £75,500.00
    And a line "Anstey Youth Café" allocated £1,500.00
    And a line "Syston Youth Café" allocated £2,000.00
    And the imported table "plf_oct_2017.csv" printed a total allocated of <total>
    When the rules are checked as at 26/10/2017
    Then DAT003 is <verdict>

    @breach
    Examples: the Total row does not add up
      | total     | verdict |
      | £4,000.00 | raised  |
      | £3,499.00 | raised  |

    @within_tolerance
    Examples: the Total row adds up
      | total     | verdict    |
      | £3,500.00 | not raised |

  Scenario: DAT003 judges a printed table by its own rows, not by later changes to the ledger
    Given Charnwood's PZ-BF fund for 2023/24 of £25,000.00
    And a line "Estate growing spaces (MTC Gardening Group)" allocated £7,200.00
    And the imported table "people_zone.csv" printed a total allocated of £7,200.00 over 1 row(s) adding up to £7,200.00
    And "Estate growing spaces (MTC Gardening Group)" is later changed to £6,000.00
    And a line "Community celebration day (10th Loughborough Brownies)" allocated £1,200.00
    When the rules are checked as at 15/10/2023
    Then DAT003 is not raised

  Scenario: DAT003 gives the sum and the number of the table's own printed rows
    Given Charnwood's PZ-BF fund for 2023/24 of £25,000.00
    And a line "Community celebration day (10th Loughborough Brownies)" allocated £1,200.00
    And a line "Estate growing spaces (MTC Gardening Group)" allocated £7,200.00
    And the imported table "people_zone.csv" printed a total allocated of £8,000.00 over 1 row(s) adding up to £7,200.00
    When the rules are checked as at 15/10/2023
    Then the DAT003 finding says "'people_zone.csv' prints a total allocated of £8,000.00 but its 1 row adds up to £7,200.00 (a difference of £800.00)."

  Scenario Outline: DAT004 the newest figures are too old to report on
    Given Charnwood's PLF fund for 2023/24 of £20,000.00
    And a line "Street Pastors" allocated £3,000.00
    And £500.00 was paid to "Street Pastors" on <paid_on>
    When the rules are checked as at 01/12/2023
    Then DAT004 is <verdict>

    @breach
    Examples: nothing recorded for more than 90 days
      | paid_on    | verdict |
      | 01/08/2023 | raised  |
      | 01/09/2023 | raised  |

    @within_tolerance
    Examples: recorded within the last 90 days
      | paid_on    | verdict    |
      | 02/09/2023 | not raised |
      | 15/11/2023 | not raised |
