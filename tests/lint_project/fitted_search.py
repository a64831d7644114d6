import tensorflow as tf
from net import Net


def train(data, epochs):
    model = Net()
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
    model.fit(data, epochs=epochs)
    return model
