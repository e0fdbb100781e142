from essmap import run

run()
